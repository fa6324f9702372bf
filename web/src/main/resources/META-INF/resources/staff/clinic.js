"use strict";
// The clinician's referral inbox for their hospital: critical first, SLA countdowns, accept / decline with a
// reason / schedule / complete / no-show, and a note that goes back to the school as the hospital's feedback.
(() => {
  const { t, esc, api, act, route, fmt } = X;
  const statusText = s => ({ requested: t("待接收", "Waiting"), accepted: t("已接收", "Accepted"), "in-progress": t("已预约", "Scheduled"), completed: t("已就诊", "Seen"),
    rejected: t("已拒绝", "Declined"), failed: t("未就诊", "No-show"), cancelled: t("已取消", "Cancelled") }[s] || s);
  /** What the hospital may do next from each status (referral-service's lifecycle checks again). */
  const NEXT = { requested: ["accepted", "rejected"], accepted: ["scheduled", "cancelled"], "in-progress": ["completed", "no-show", "scheduled", "cancelled"] };
  const ACTION = { accepted: ["接收", "Accept"], rejected: ["拒绝", "Decline"], scheduled: ["预约就诊", "Schedule"], completed: ["已就诊", "Seen"], "no-show": ["未到诊", "No-show"], cancelled: ["取消", "Cancel"] };

  function countdown(due, overdue) {
    if (!due) return "—";
    const ms = new Date(due) - Date.now();
    const late = overdue || ms < 0;
    const a = Math.abs(ms) / 1000, h = Math.floor(a / 3600), m = Math.floor(a / 60) % 60;
    return `<span class="${late ? "overdue" : ""}" data-due="${esc(due)}">${late ? t("已超时 ", "overdue ") : t("剩余 ", "")}${h}${t("小时", "h")}${m}${t("分", "m")}</span>`;
  }

  route({
    name: "inbox", zh: "转介收件箱", en: "Referral inbox", roles: ["clinician"], landing: true,
    async render(el, selected) {
      const showAll = selected === "all";
      const list = await api("referral", "referrals?limit=200" + (showAll ? "" : "&open=true"));
      el.innerHTML = `<h2>${t("转介收件箱", "Referral inbox")} <span class="muted">${t("危急在前；每 30 秒刷新", "critical first; refreshes every 30 s")}</span></h2>
        <div class="bar"><a class="button plain" href="#/inbox${showAll ? "" : "/all"}">${showAll ? t("只看未结束", "Open only") : t("全部（含已结束）", "All, incl. closed")}</a></div>
        <div class="cols"><section class="card"><table><thead><tr><th>${t("风险", "Risk")}</th><th>${t("学生", "Student")}</th><th>${t("学校", "School")}</th><th>${t("状态", "Status")}</th>
          <th>${t("接收时限", "Acknowledge by")}</th><th>${t("就诊时限", "Visit by")}</th></tr></thead><tbody>${
        list.map(r => `<tr class="pick" tabindex="0" data-id="${r.id}" aria-selected="${r.id === selected}"><td>${fmt.risk(r.riskLevel)}</td><td>${esc(r.patient ? r.patient.name : t("身份待调取", "identity pending"))}
          <div class="muted">${esc(r.patient ? [r.patient.sex === "FEMALE" ? t("女", "F") : r.patient.sex === "MALE" ? t("男", "M") : "", r.patient.grade ? r.patient.grade + t("年级", "") : ""].join(" ") : "")}</div></td>
          <td>${esc(r.patient ? r.patient.schoolName : r.schoolId)}</td><td><span class="badge status">${esc(statusText(r.status))}</span></td>
          <td>${r.status === "requested" ? countdown(r.acknowledgeDueAt, r.acknowledgeOverdue) : "✓"}</td><td>${["requested", "accepted", "in-progress"].includes(r.status) ? countdown(r.visitDueAt, r.visitOverdue) : "—"}</td></tr>`).join("")
        || `<tr><td colspan="6">${t("没有待处理的转介。", "No referral waiting.")}</td></tr>`}</tbody></table></section>
        <section class="card" id="detail">${t("选择一条转介查看学生信息与处理。", "Choose a referral to see the student and act.")}</section></div>`;
      el.querySelectorAll("tr.pick").forEach(tr => { tr.onclick = tr.onkeydown = e => { if (e.type === "click" || e.key === "Enter") location.hash = "#/inbox/" + tr.dataset.id; }; });
      if (selected && !showAll) {
        const r = await api("referral", "referrals/" + selected);
        await fmt.reasonsReady(r.reasons);
        renderReferral(el.querySelector("#detail"), r);
      }
      X.every(30000, () => { if (!el.querySelector("#detail form:focus-within")) X.route.refresh(); }, el);
    },
  });

  function renderReferral(box, r) {
    const p = r.patient || {};
    const next = NEXT[r.status] || [];
    box.innerHTML = `<h3>${esc(p.name || t("身份待调取", "identity pending"))} ${fmt.risk(r.riskLevel)} <span class="badge status">${esc(statusText(r.status))}</span></h3>
      <table><tbody>
        <tr><th>${t("学校 / 班级", "School / class")}</th><td>${esc(p.schoolName || r.schoolId)} ${p.grade ? p.grade + t("年级", "") : ""} ${esc(p.className || "")}</td></tr>
        <tr><th>${t("性别 / 出生日期", "Sex / born")}</th><td>${esc({ MALE: t("男", "Male"), FEMALE: t("女", "Female") }[p.sex] || p.sex || "—")} · ${esc(p.birthDate || "—")}</td></tr>
        <tr><th>${t("监护人", "Guardian")}</th><td>${esc(p.guardianName || "—")} <a href="tel:${esc(p.guardianPhone || "")}">${esc(p.guardianPhone || "")}</a></td></tr>
        <tr><th>${t("转介原因", "Reasons")}</th><td>${(r.reasons || []).map(fmt.reason).join("<br>")}</td></tr>
        <tr><th>${t("首次请求", "Requested")}</th><td>${fmt.time(r.firstRequestedAt)}</td></tr>
        <tr><th>${t("接收时限", "Acknowledge by")}</th><td>${r.status === "requested" ? countdown(r.acknowledgeDueAt, r.acknowledgeOverdue) : fmt.time(r.acceptedAt)}</td></tr>
        <tr><th>${t("就诊时限", "Visit by")}</th><td>${countdown(r.visitDueAt, r.visitOverdue)}</td></tr>
        <tr><th>${t("预约", "Appointment")}</th><td>${fmt.time(r.appointmentAt)}</td></tr>
        <tr><th>${t("监护人告知（学校）", "Guardian informed (school)")}</th><td>${r.guardian ? esc(r.guardian.kind) + " " + fmt.time(r.guardian.informedAt) : t("未记录", "not recorded")}</td></tr>
      </tbody></table>
      <h3>${t("处理记录", "History")}</h3><ol class="history">${(r.history || []).map(h => `<li>${fmt.time(h.occurredAt)} · ${esc(statusText(h.toStatus))} ${h.escalation ? "· " + esc(h.escalation) : ""} ${h.reasonCode ? "· " + esc(h.reasonCode) : ""} ${h.note ? "· " + esc(h.note) : ""}</li>`).join("")}</ol>
      ${next.length ? `<form id="move"><fieldset><legend>${t("处理", "Act")}</legend>${next.map((n, i) => `<label class="inline"><input type="radio" name="to" value="${n}" ${i === 0 ? "checked" : ""}> ${t(...ACTION[n])}</label>`).join("")}</fieldset>
        <label data-for="scheduled">${t("就诊时间", "Appointment")} <input type="datetime-local" name="appointmentAt"></label>
        <label data-for="rejected cancelled" style="display:flex">${t("原因（拒绝或取消时必填）", "Reason (needed to decline or cancel)")} <input name="reason" maxlength="500"></label>
        <label style="display:flex">${t("给学校的反馈", "Feedback to the school")} <textarea name="note" maxlength="2000"></textarea></label>
        <button>${t("提交", "Submit")}</button></form>` : ""}`;
    const f = box.querySelector("#move");
    if (!f) return;
    const toggle = () => f.querySelectorAll("[data-for]").forEach(l => { l.hidden = !l.dataset.for.split(" ").includes(f.to.value); });
    f.querySelectorAll("[name=to]").forEach(x => x.onchange = toggle); toggle();
    f.onsubmit = e => {
      e.preventDefault();
      const body = { to: f.to.value, note: f.note.value || null, reason: f.reason.value || null, appointmentAt: X.isoLocal(f.appointmentAt.value) };
      act(f.querySelector("button"), async () => { await api("referral", `referrals/${r.id}/transitions`, { method: "POST", body }); X.route.refresh(); });
    };
  }
})();
