// The school's referrals: where each student is in the hospital, the hospital's feedback, and the guardian record.
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, refresh } from "../shell.js";
import * as fmt from "../format.js";
import { SCHOOL, referralStatus } from "./school-common.js";
import { summaryView } from "./return-summary.js";

const METHODS = [["PHONE", "电话"], ["IN_PERSON", "面谈"], ["WECHAT", "微信"], ["LETTER", "书面"], ["OTHER", "其他"]];
const EXCEPTIONS = [["", ""], ["GUARDIAN_MAY_BE_RISK", "监护人可能是风险来源"], ["GUARDIAN_UNREACHABLE", "无法联系监护人"], ["STUDENT_SAFETY", "学生安全考虑"], ["OTHER", "其他"]];

route({
  name: "school-referrals", title: "转介@menu", roles: SCHOOL,
  async render(el) {
    const list = await api("referral", "referrals?limit=200");
    let recording = null;
    const draw = () => render(html`<h2>${t("本校转介")}</h2><section class="card"><table>
      <thead><tr><th>${t("风险")}</th><th>${t("学生")}</th><th>${t("医院")}</th><th>${t("状态")}</th><th>${t("预约")}</th>
        <th>${t("医院反馈")}</th><th>${t("监护人")}</th></tr></thead>
      <tbody>${list.length ? list.map(r => html`<tr><td>${fmt.risk(r.riskLevel)}</td>
        <td>${r.patient ? r.patient.name : "—"}<div class="muted">${r.patient ? r.patient.className || "" : ""}</div></td>
        <td>${r.hospitalName || r.hospitalId || t("待分配")}</td>
        <td><span class="badge status">${referralStatus(r.status)}</span></td><td>${fmt.time(r.appointmentAt)}</td><td>${r.feedback || "—"}${summaryView(r.returnSummary)}</td>
        <td>${r.guardian ? (r.guardian.kind === "INFORMED" ? t("已告知") + " " + fmt.time(r.guardian.informedAt) : t("例外") + " " + (r.guardian.exceptionCode || ""))
          : html`<span class=${r.guardianOverdue ? "overdue" : ""}>${t("未记录")}</span>
            <button class="plain" @click=${() => { recording = r.id; draw(); el.querySelector("#guardian select").focus(); }}>${t("记录@action")}</button>`}</td></tr>`)
        : html`<tr><td colspan="7">${t("暂无转介。")}</td></tr>`}</tbody></table></section>
      ${recording ? html`<section class="card" id="guardian">${guardianForm(recording)}</section>` : nothing}`, el);
    draw();
  },
});

function guardianForm(id) {
  const submit = e => {
    e.preventDefault();
    const f = e.target;
    const body = { kind: f.kind.value, informedAt: fmt.isoLocal(f.informedAt.value), method: f.method.value, note: f.note.value || null,
      exceptionCode: f.exceptionCode.value || null };
    if (body.kind === "EXCEPTION") body.method = null;
    act(f.querySelector("button"), async () => { await api("referral", `referrals/${id}/guardian-notification`, { method: "POST", body }); refresh(); });
  };
  return html`<h3>${t("监护人告知记录")}</h3><form @submit=${submit}>
    <label>${t("结果")} <select name="kind"><option value="INFORMED">${t("已告知@outcome")}</option><option value="EXCEPTION">${t("例外：暂不告知")}</option></select></label>
    <label>${t("时间")} <input type="datetime-local" name="informedAt" .value=${fmt.localInput(new Date())}></label>
    <label>${t("方式")} <select name="method">${fmt.options(METHODS)}</select></label>
    <label>${t("例外原因")} <select name="exceptionCode">${EXCEPTIONS.map(([v, key]) => html`<option value=${v}>${key ? t(key) : ""}</option>`)}</select></label>
    <label style="display:flex">${t("说明")} <textarea name="note" maxlength="2000"></textarea></label><button>${t("保存")}</button></form>`;
}
