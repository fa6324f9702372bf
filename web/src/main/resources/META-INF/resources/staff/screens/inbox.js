// The clinician's referral inbox for their hospital: critical first, SLA countdowns, accept / decline with a reason /
// schedule / complete / no-show, and a note that goes back to the school as the hospital's feedback.
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, refresh, go, every } from "../shell.js";
import * as fmt from "../format.js";
import { summaryFields, readSummary } from "./return-summary.js";

const STATUS = { requested: "待接收", accepted: "已接收", "in-progress": "已预约", completed: "已就诊", rejected: "已拒绝", failed: "未就诊", cancelled: "已取消" };
const statusText = s => STATUS[s] ? t(STATUS[s]) : s;
/** What the hospital may do next from each status (referral-service's lifecycle checks again). */
const NEXT = { requested: ["accepted", "rejected"], accepted: ["scheduled", "cancelled"], "in-progress": ["completed", "no-show", "scheduled", "cancelled"] };
const ACTION = { accepted: "接收", rejected: "拒绝", scheduled: "预约就诊", completed: "已就诊@action", "no-show": "未到诊", cancelled: "取消" };
const SEX = { MALE: "男", FEMALE: "女" };

function countdown(due, overdue) {
  if (!due) return "—";
  const ms = new Date(due) - Date.now();
  const late = overdue || ms < 0;
  const a = Math.abs(ms) / 1000, h = Math.floor(a / 3600), m = Math.floor(a / 60) % 60;
  return html`<span class=${late ? "overdue" : ""}>${late ? t("已超时 ") : t("剩余 ")}${h}${t("小时@short")}${m}${t("分@short")}</span>`;
}

route({
  name: "inbox", title: "转介收件箱", roles: ["clinician"], landing: true,
  async render(el, selected) {
    const showAll = selected === "all";
    const list = await api("referral", "referrals?limit=200" + (showAll ? "" : "&open=true"));
    const discharging = selected === "discharge";
    const detail = selected && !showAll && !discharging ? await api("referral", "referrals/" + selected) : null;
    if (detail) await fmt.reasonsReady(detail.reasons);
    const open = (e, r) => { if (e.type === "click" || e.key === "Enter") go("inbox", r.id); };
    render(html`<h2>${t("转介收件箱")} <span class="muted">${t("危急在前；新转介即时显示")}</span></h2>
      <div class="bar"><a class="button plain" href="#/inbox${showAll ? "" : "/all"}">${showAll ? t("只看未结束") : t("全部（含已结束）")}</a>
        <a class="button plain" href="#/inbox/discharge">${t("登记出院返校")}</a></div>
      <div class="cols"><section class="card"><table><thead><tr><th>${t("风险")}</th><th>${t("学生")}</th><th>${t("学校")}</th><th>${t("状态")}</th>
        <th>${t("接收时限")}</th><th>${t("就诊时限")}</th></tr></thead>
        <tbody>${list.length ? list.map(r => html`<tr class="pick" tabindex="0" aria-selected=${String(r.id === selected)}
            @click=${e => open(e, r)} @keydown=${e => open(e, r)}><td>${fmt.risk(r.riskLevel)}</td>
          <td>${r.patient ? r.patient.name : t("身份待调取")}<div class="muted">${r.patient ? [SEX[r.patient.sex] ? t(SEX[r.patient.sex] + "@short") : "",
            r.patient.grade ? r.patient.grade + t("年级@suffix") : ""].join(" ") : ""}</div></td>
          <td>${r.patient ? r.patient.schoolName : r.schoolId}</td><td><span class="badge status">${statusText(r.status)}</span></td>
          <td>${r.status === "requested" ? countdown(r.acknowledgeDueAt, r.acknowledgeOverdue) : "✓"}</td>
          <td>${["requested", "accepted", "in-progress"].includes(r.status) ? countdown(r.visitDueAt, r.visitOverdue) : "—"}</td></tr>`)
          : html`<tr><td colspan="6">${t("没有待处理的转介。")}</td></tr>`}</tbody></table></section>
      <section class="card" id="detail">${discharging ? dischargeForm() : detail ? referralView(detail) : t("选择一条转介查看学生信息与处理。")}</section></div>`, el);
    const move = el.querySelector("#move");
    if (move) toggle(move);
    every(30000, () => { if (!el.querySelector("#detail form:focus-within")) refresh(); }, el);
    // a new referral's notification arrives on the bell's stream: show it now rather than at the next refresh
    const fresh = () => { if (!el.isConnected) window.removeEventListener("xq-notification", fresh); else if (!el.querySelector("#detail form:focus-within")) refresh(); };
    window.addEventListener("xq-notification", fresh);
  },
});

/** A student discharged back to school after treatment that did not begin with a referral from the platform. */
function dischargeForm() {
  const submit = e => {
    e.preventDefault();
    const f = e.target;
    const body = { schoolId: f.schoolId.value.trim(), studentNumber: f.studentNumber.value.trim(), studentName: f.studentName.value.trim(),
      birthDate: f.birthDate.value || null, dischargedAt: fmt.isoLocal(f.dischargedAt.value), note: f.note.value || null,
      returnSummary: readSummary(f) };
    act(f.querySelector("button"), async () => {
      const r = await api("referral", "referrals/returns", { method: "POST", body });
      go("inbox", r.id);
    });
  };
  return html`<h3>${t("登记出院返校")}</h3>
    <p class="muted">${t("学生并非经本平台转介而来：学号、姓名与出生日期须与学校花名册一致。")}</p>
    <form id="discharge" @submit=${submit}>
      <label>${t("学校代码")} <input name="schoolId" required pattern="S[0-9]{9}" placeholder="S370811001"></label>
      <label>${t("学号")} <input name="studentNumber" required maxlength="20"></label>
      <label>${t("学生姓名")} <input name="studentName" required maxlength="50"></label>
      <label>${t("出生日期")} <input type="date" name="birthDate" required></label>
      <label>${t("出院时间")} <input type="datetime-local" name="dischargedAt" required></label>
      <fieldset><legend>${t("回转学校摘要（双向转诊）")}</legend>${summaryFields()}</fieldset>
      <label style="display:flex">${t("给学校的反馈")} <textarea name="note" maxlength="2000"></textarea></label>
      <button>${t("提交")}</button></form>`;
}

/** Shows the fields the chosen step needs (a date to schedule, a reason to decline or cancel). */
function toggle(f) {
  f.querySelectorAll("[data-for]").forEach(l => { l.hidden = !l.dataset.for.split(" ").includes(f.to.value); });
}

function referralView(r) {
  const p = r.patient || {};
  const next = NEXT[r.status] || [];
  const submit = e => {
    e.preventDefault();
    const f = e.target;
    const body = { to: f.to.value, note: f.note.value || null, reason: f.reason.value || null, appointmentAt: fmt.isoLocal(f.appointmentAt.value) };
    if (body.to === "completed") {
      body.returnSummary = readSummary(f);
    }
    act(f.querySelector("button"), async () => { await api("referral", `referrals/${r.id}/transitions`, { method: "POST", body }); refresh(); });
  };
  return html`<h3>${p.name || t("身份待调取")} ${fmt.risk(r.riskLevel)} <span class="badge status">${statusText(r.status)}</span></h3>
    <table><tbody>
      <tr><th>${t("学校 / 班级")}</th><td>${p.schoolName || r.schoolId} ${p.grade ? p.grade + t("年级@suffix") : ""} ${p.className || ""}</td></tr>
      <tr><th>${t("性别 / 出生日期")}</th><td>${SEX[p.sex] ? t(SEX[p.sex]) : p.sex || "—"} · ${p.birthDate || "—"}</td></tr>
      <tr><th>${t("监护人")}</th><td>${p.guardianName || "—"} <a href="tel:${p.guardianPhone || ""}">${p.guardianPhone || ""}</a></td></tr>
      <tr><th>${t("转介原因")}</th><td>${fmt.reasons(r.reasons)}</td></tr>
      <tr><th>${t("首次请求")}</th><td>${fmt.time(r.firstRequestedAt)}</td></tr>
      <tr><th>${t("接收时限")}</th><td>${r.status === "requested" ? countdown(r.acknowledgeDueAt, r.acknowledgeOverdue) : fmt.time(r.acceptedAt)}</td></tr>
      <tr><th>${t("就诊时限")}</th><td>${r.completedAt ? "✓ " + fmt.time(r.completedAt) : r.open ? countdown(r.visitDueAt, r.visitOverdue) : "—"}</td></tr>
      <tr><th>${t("预约")}</th><td>${fmt.time(r.appointmentAt)}</td></tr>
      <tr><th>${t("监护人告知（学校）")}</th><td>${r.guardian ? r.guardian.kind + " " + fmt.time(r.guardian.informedAt) : t("未记录")}</td></tr>
    </tbody></table>
    <h3>${t("处理记录")}</h3><ol class="history">${(r.history || []).map(h => html`<li>${fmt.time(h.occurredAt)} · ${statusText(h.toStatus)}
      ${h.escalation ? "· " + h.escalation : ""} ${h.reasonCode ? "· " + h.reasonCode : ""} ${h.note ? "· " + h.note : ""}</li>`)}</ol>
    ${next.length ? html`<form id="move" @submit=${submit} @change=${e => { if (e.target.name === "to") toggle(e.currentTarget); }}>
      <fieldset><legend>${t("处理")}</legend>${next.map((n, i) => html`<label class="inline"><input type="radio" name="to" value=${n} ?checked=${i === 0}> ${t(ACTION[n])}</label>`)}</fieldset>
      <label data-for="scheduled">${t("就诊时间")} <input type="datetime-local" name="appointmentAt"></label>
      <label data-for="rejected cancelled" style="display:flex">${t("原因（拒绝或取消时必填）")} <input name="reason" maxlength="500"></label>
      <fieldset data-for="completed"><legend>${t("回转学校摘要（双向转诊）")}</legend>
        ${summaryFields()}
      </fieldset>
      <label style="display:flex">${t("给学校的反馈")} <textarea name="note" maxlength="2000"></textarea></label>
      <button>${t("提交")}</button></form>` : nothing}`;
}
