// The counsellor's risk queue: one row per student, critical first; a case from daily work; the chosen case with its
// procedure checklist, counselling sessions, notes, and a referral by hand when none is running.
import { html, render, nothing } from "../lit.js";
import { t, tf, both } from "../i18n.js";
import { api, act, route, refresh, go, has } from "../shell.js";
import * as fmt from "../format.js";
import { SCHOOL, school, caseStatus, referralStatus, hospitalNames } from "./school-common.js";

const NOTE_KINDS = [["FOLLOW_UP", "跟进记录@note"], ["GUARDIAN_INFORMED", "已告知监护人"], ["GUARDIAN_EXCEPTION", "暂不告知监护人（例外）"], ["CLOSE", "结案@action"]];
const noteKind = k => { const kind = NOTE_KINDS.find(x => x[0] === k); return kind ? t(kind[1]) : k; };

route({
  name: "risk", title: "风险名单", roles: SCHOOL, landing: true,
  async render(el, selected) {
    const [cases, names] = await Promise.all([api("screening", `schools/${school()}/risk-queue`), hospitalNames()]);
    await fmt.reasonsReady(cases.flatMap(c => c.reasons));
    cases.forEach(c => { c.referralHospital = names.get(c.referralHospital) || c.referralHospital; });
    const open = (e, c) => { if (e.type === "click" || e.key === "Enter") go("risk", c.id); };
    // the chosen case may be one the queue does not show (a student's other open case): read it by its id
    const [detail, sessions] = selected ? await Promise.all([api("screening", "cases/" + encodeURIComponent(selected)),
      api("screening", `cases/${encodeURIComponent(selected)}/sessions`)]) : [null, null];
    if (detail) detail.sessions = sessions;
    const chosen = detail ? detail.riskCase : null;
    if (chosen) {
      chosen.referralHospital = names.get(chosen.referralHospital) || chosen.referralHospital;
      await fmt.reasonsReady(chosen.reasons);
    }
    render(html`<h2>${t("风险名单")} <span class="muted">${t("危急在前，最新在前")}</span></h2>
      <div class="cols"><section class="card"><table>
        <thead><tr><th>${t("风险")}</th><th>${t("学生")}</th><th>${t("班级")}</th><th>${t("原因")}</th><th>${t("跟进@column")}</th>
          <th>${t("转介")}</th><th>${t("时间")}</th></tr></thead>
        <tbody>${cases.length ? cases.map(c => html`<tr class="pick" tabindex="0" aria-selected=${String(c.id === selected)}
            @click=${e => open(e, c)} @keydown=${e => open(e, c)}>
          <td>${fmt.risk(c.riskLevel)}</td><td>${c.studentName}<div class="muted">${c.studentNumber}</div>
            ${c.otherCampaigns ? html`<div class="muted">${tf("另有 {n} 次筛查的个案", { n: c.otherCampaigns })}</div>` : ""}</td>
          <td>${c.grade}${t("年级@suffix")} ${c.className}</td><td>${fmt.reasons(c.reasons)}</td>
          <td>${caseStatus(c.status)}${c.guardianInformed ? html`<div class="muted">${t("已告知监护人")}</div>` : ""}</td>
          <td data-referral><span class="badge status">${referralStatus(c.referralStatus)}</span><div class="muted">${c.referralHospital || ""}</div></td>
          <td>${fmt.time(c.createdAt)}</td></tr>`)
          : html`<tr><td colspan="7">${t("暂无需要跟进的学生。")}</td></tr>`}</tbody></table></section>
      <section class="card" id="case">${chosen ? caseView(chosen, detail) : html`<p>${t("选择一名学生查看与记录跟进。")}</p>${openForm()}`}</section></div>`, el);
  },
});

const SOURCES = [["DAILY_WORK", "日常工作发现"], ["TEACHER_REPORT", "教师报告"], ["PARENT_REPORT", "家长反映"], ["PEER_REPORT", "同学反映"], ["HOTLINE", "热线"]];
const HOW = [["IN_PERSON", "面谈"], ["PHONE", "电话"], ["WECHAT", "微信"], ["LETTER", "书面"], ["OTHER", "其他"]];
const EXCEPTIONS = [["GUARDIAN_UNREACHABLE", "无法联系监护人"], ["GUARDIAN_REFUSES", "监护人拒绝"], ["STUDENT_ABSENT", "学生缺席"], ["OTHER", "其他"]];

/** A case from daily work: the student, who reported, the level the counsellor judges, what happened. */
function openForm() {
  const submit = e => {
    e.preventDefault();
    const f = e.target;
    const body = { studentNumber: f.studentNumber.value.trim(), source: f.source.value, riskLevel: f.riskLevel.value, note: f.note.value };
    act(f.querySelector("button"), async () => {
      const d = await api("screening", `schools/${school()}/cases`, { method: "POST", body });
      go("risk", d.riskCase.id);
    });
  };
  return html`<h3>${t("从日常工作开案")}</h3><form id="open-case" @submit=${submit}>
    <label>${t("学号")} <input name="studentNumber" required maxlength="32"></label>
    <label>${t("来源")} <select name="source">${fmt.options(SOURCES)}</select></label>
    <label>${t("风险等级")} <select name="riskLevel">${["MODERATE", "HIGH", "CRITICAL"].map(l => html`<option value=${l}>${fmt.riskLabel(l)}</option>`)}</select></label>
    <label style="display:flex">${t("情况说明")} <textarea name="note" required maxlength="2000"></textarea></label>
    <button>${t("开案并启动处置流程")}</button></form>`;
}

/** The procedure's checklist: each step with its clock, done or documented as an exception. */
function checklist(c, detail) {
  const record = (e, step) => {
    e.preventDefault();
    const f = e.target;
    const exception = e.submitter.value === "EXCEPTION";
    const body = { code: step.code, outcome: exception ? "EXCEPTION" : "DONE", how: exception ? null : f.how.value,
      exceptionCode: exception ? f.exceptionCode.value : null, note: f.note.value || null };
    act(e.submitter, async () => { await api("screening", `cases/${c.id}/steps`, { method: "POST", body }); refresh(); });
  };
  return html`<h3>${t("处置流程")} <span class="muted">${detail.procedureVersion || ""}</span></h3>
    <ol class="history" id="steps">${detail.steps.map(s => html`<li>
      <strong>${both(s.title)}</strong> ${s.critical ? html`<span class="badge risk-CRITICAL">${t("必做")}</span>` : nothing}
      <span class=${s.overdue ? "overdue" : "muted"}>${s.overdue ? t("已超时") : t("截止")} ${fmt.time(s.dueAt)}</span>
      ${s.escalation === "BUREAU" ? html`<span class="overdue">· ${t("已通报区县教育局")}</span>` : s.escalation === "SCHOOL_ADMIN" ? html`<span class="overdue">· ${t("已提醒学校管理员")}</span>` : nothing}
      ${s.outcome ? html`<div class="ok">${s.outcome === "DONE" ? t("已完成") : tf("例外：{reason}", { reason: EXCEPTIONS.find(x => x[0] === s.exceptionCode) ? t(EXCEPTIONS.find(x => x[0] === s.exceptionCode)[1]) : s.exceptionCode })}
          · ${fmt.time(s.doneAt)} · ${s.doneBy}${s.note ? " · " + s.note : ""}</div>`
        : html`<form class="bar" @submit=${e => record(e, s)}>
          <select name="how" aria-label=${t("方式")}>${fmt.options(HOW)}</select>
          <select name="exceptionCode" aria-label=${t("例外原因")}>${fmt.options(EXCEPTIONS)}</select>
          <input name="note" maxlength="2000" placeholder=${t("说明（例外时必填）")}>
          <button name="outcome" value="DONE">${t("完成")}</button> <button name="outcome" value="EXCEPTION" class="plain">${t("例外")}</button></form>`}</li>`)}</ol>`;
}

const KINDS = [["INDIVIDUAL", "个体辅导"], ["GROUP", "团体辅导"], ["FAMILY", "家庭辅导"]];
const PROGRESS = [["UNCHANGED", "无明显变化"], ["IMPROVED", "好转"], ["WORSE", "加重"]];
const label = (list, v) => { const x = list.find(y => y[0] === v); return x ? t(x[1]) : v; };

/** The case's counselling sessions; the private notes only for the school's counsellors (the service decides). */
function sessionsView(c, detail) {
  const submit = e => {
    e.preventDefault();
    const f = e.target;
    const body = { heldOn: f.heldOn.value, minutes: +f.minutes.value, kind: f.kind.value, riskLevel: f.riskLevel.value,
      safetyConcern: f.safetyConcern.checked, progress: f.progress.value, privateNotes: f.privateNotes.value || null };
    act(f.querySelector("button"), async () => { await api("screening", `cases/${c.id}/sessions`, { method: "POST", body }); refresh(); });
  };
  return html`<h3>${t("心理辅导记录")}</h3>
    <ol class="history" id="sessions">${detail.sessions.length ? detail.sessions.map(s => html`<li>${fmt.date(s.heldOn)} · ${label(KINDS, s.kind)} · ${s.minutes} ${t("分钟")}
      · ${fmt.risk(s.riskLevel)} · ${label(PROGRESS, s.progress)}${s.safetyConcern ? html` · <strong class="overdue">${t("有安全隐患")}</strong>` : nothing}
      <span class="muted">${s.counsellor}</span>${s.privateNotes ? html`<div class="muted">${tf("私密记录：{notes}", { notes: s.privateNotes })}</div>` : nothing}</li>`)
      : html`<li class="muted">${t("暂无")}</li>`}</ol>
    ${has("school-counselor") ? html`<form id="session" @submit=${submit}>
      <label>${t("日期")} <input type="date" name="heldOn" required .value=${new Date().toISOString().slice(0, 10)}></label>
      <label>${t("时长（分钟）")} <input type="number" name="minutes" min="5" max="600" required .value=${"45"}></label>
      <label>${t("形式")} <select name="kind">${fmt.options(KINDS)}</select></label>
      <label>${t("评估风险")} <select name="riskLevel">${["NONE", "LOW", "MODERATE", "HIGH", "CRITICAL"].map(l => html`<option value=${l} ?selected=${l === c.riskLevel}>${fmt.riskLabel(l)}</option>`)}</select></label>
      <label>${t("变化")} <select name="progress">${fmt.options(PROGRESS)}</select></label>
      <label class="inline"><input type="checkbox" name="safetyConcern"> ${t("有安全隐患")}</label>
      <label style="display:flex">${t("私密记录（仅本校心理教师可见，不发送给医院或教育局）")} <textarea name="privateNotes" maxlength="4000"></textarea></label>
      <button>${t("保存辅导记录")}</button></form>` : nothing}`;
}

function caseView(c, detail) {
  const note = e => {
    e.preventDefault();
    const f = e.target;
    act(f.querySelector("button"), async () => {
      await api("screening", `risk-queue/${c.id}/notes`, { method: "POST", body: { kind: f.kind.value, note: f.note.value } });
      refresh();
    });
  };
  const refer = e => {
    e.preventDefault();
    const f = e.target;
    act(f.querySelector("button"), async () => {
      await api("screening", `risk-queue/${c.id}/referral`, { method: "POST", body: { riskLevel: f.riskLevel.value, reason: f.reason.value } });
      refresh();
    });
  };
  return html`<h3>${c.studentName} ${fmt.risk(c.riskLevel)}</h3>
    <p class="muted">${c.studentNumber} · ${c.grade}${t("年级@suffix")} ${c.className} · ${caseStatus(c.status)}
      · <a href="#/care-record/${encodeURIComponent(c.studentNumber)}">${t("心理档案")}</a></p>
    <p>${t("转介")}: <strong>${referralStatus(c.referralStatus)}</strong> ${c.referralHospital || ""}
      ${c.referralUpdatedAt ? html`<span class="muted">${fmt.time(c.referralUpdatedAt)}</span>` : ""}
      ${c.referralStatus ? html` · <a href="#/school-referrals">${t("医院反馈与监护人记录")}</a>` : ""}</p>
    ${detail && detail.steps.length ? checklist(c, detail) : nothing}
    ${detail ? sessionsView(c, detail) : nothing}
    <h3>${t("跟进记录@notes")}</h3>
    <ol class="history">${c.notes.length ? c.notes.map(n => html`<li>${fmt.time(n.at)} · ${noteKind(n.kind)} · ${n.note}
      <span class="muted">${n.author}</span></li>`) : html`<li class="muted">${t("暂无")}</li>`}</ol>
    <form id="note" @submit=${note}><label>${t("类型")} <select name="kind">${fmt.options(NOTE_KINDS)}</select></label>
      <label style="display:flex">${t("内容")} <textarea name="note" required maxlength="2000"></textarea></label>
      <button>${t("保存记录")}</button></form>
    ${c.referralStatus || c.status === "REFERRED" ? "" : html`<h3>${t("人工转介")}</h3><form id="refer" @submit=${refer}>
      <label>${t("风险等级")} <select name="riskLevel">${["HIGH", "CRITICAL", "MODERATE"].map(l => html`<option value=${l}>${fmt.riskLabel(l)}</option>`)}</select></label>
      <label style="display:flex">${t("转介理由")} <textarea name="reason" required maxlength="500"></textarea></label>
      <button class="danger">${t("转介至合作医院")}</button></form>`}`;
}
