// The hospital's return summary (双向转诊): the fields a clinician fills in when completing a referral or discharging a
// student back to school, and the summary as the school reads it (free-text recommendations reach the school only).
import { html, nothing } from "../lit.js";
import { t, tf } from "../i18n.js";
import * as fmt from "../format.js";

export const ACCOMMODATIONS = [["REDUCED_WORKLOAD", "减轻课业负担"], ["EXAM_ARRANGEMENTS", "考试特殊安排"], ["SEATING_SUPERVISION", "座位安排与看护"],
  ["LEAVE", "请假休养"], ["GRADUAL_RETURN", "逐步复学"], ["OTHER", "其他"]];

const accommodation = code => { const a = ACCOMMODATIONS.find(x => x[0] === code); return a ? t(a[1]) : code; };

/** The summary's inputs, with a follow-up plan of 7 days by the school and 30 by the hospital to start from. */
export const summaryFields = () => html`
  <label style="display:flex">${t("给学校的建议（仅学校可见）")} <textarea name="recommendations" maxlength="4000"></textarea></label>
  <div>${ACCOMMODATIONS.map(([v, key]) => html`<label class="inline"><input type="checkbox" name="accommodation" value=${v}> ${t(key)}</label>`)}</div>
  <label>${t("是否用药")} <select name="medication"><option value=""></option><option value="true">${t("是")}</option><option value="false">${t("否")}</option></select></label>
  <label>${t("下次复诊")} <input type="datetime-local" name="nextAppointment"></label>
  ${[[7, "SCHOOL"], [30, "HOSPITAL"], ["", "SCHOOL"]].map(([days, by]) => html`<div class="bar" data-plan>
    <label>${t("回访（天后）")} <input type="number" name="afterDays" min="1" max="365" .value=${String(days)}></label>
    <label>${t("由")} <select name="by"><option value="SCHOOL" ?selected=${by === "SCHOOL"}>${t("学校")}</option><option value="HOSPITAL" ?selected=${by === "HOSPITAL"}>${t("医院")}</option></select></label></div>`)}`;

/** What summaryFields() hold, as the referral API takes it. */
export const readSummary = f => ({ recommendations: f.recommendations.value || null,
  accommodations: [...f.querySelectorAll("[name=accommodation]:checked")].map(x => x.value),
  medication: f.medication.value === "" ? null : f.medication.value === "true", nextAppointment: fmt.isoLocal(f.nextAppointment.value),
  followUpPlan: [...f.querySelectorAll("[data-plan]")].filter(row => row.querySelector("[name=afterDays]").value)
    .map(row => ({ afterDays: +row.querySelector("[name=afterDays]").value, by: row.querySelector("[name=by]").value })) });

/** The summary as the school reads it. */
export function summaryView(rs) {
  if (!rs) return nothing;
  const plan = rs.followUpPlan || [];
  return html`<div class="ok return-summary">${rs.recommendations || ""}
    ${(rs.accommodations || []).map(a => html`<span class="badge status">${accommodation(a)}</span> `)}
    ${rs.medication ? html`<span class="muted">${t("用药中")}</span>` : nothing}
    ${rs.nextAppointment ? html`<div class="muted">${t("下次复诊")} ${fmt.time(rs.nextAppointment)}</div>` : nothing}
    ${plan.length ? html`<div class="muted">${t("回访计划")}：${plan.map(p => tf("{n} 天后（{by}）", { n: p.afterDays,
      by: p.by === "HOSPITAL" ? t("医院") : t("学校") })).join("、")}</div>` : nothing}</div>`;
}
