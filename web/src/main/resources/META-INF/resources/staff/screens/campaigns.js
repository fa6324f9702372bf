// The school's campaigns: a new campaign (codes issued at once), live progress by class, code slips, codes for newly
// enrolled students, and the online / paper conflicts to review.
import { html, render, nothing } from "../lit.js";
import { t, tf, both } from "../i18n.js";
import { api, act, route, refresh, go, every, fail } from "../shell.js";
import * as fmt from "../format.js";
import { SCHOOL, school } from "./school-common.js";

route({
  name: "campaigns", title: "筛查活动@menu", roles: SCHOOL,
  async render(el, selected) {
    const [list, instruments] = await Promise.all([api("screening", "campaigns"), api("screening", "instruments")]);
    const id = selected || (list[0] && list[0].id);
    const create = e => {
      e.preventDefault();
      const f = e.target;
      const body = { name: f.name.value, instruments: [...f.querySelectorAll("[name=instrument]:checked")].map(x => x.value),
        grades: [...f.querySelectorAll("[name=grade]:checked")].map(x => +x.value), schoolIds: [school()],
        opensAt: fmt.isoLocal(f.opensAt.value), closesAt: fmt.isoLocal(f.closesAt.value) };
      act(f.querySelector("button"), async () => { const c = await api("screening", "campaigns", { method: "POST", body }); go("campaigns", c.id); });
    };
    render(html`<h2>${t("筛查活动")}</h2><div class="cols"><div id="progress"></div><div>
      <section class="card"><h3>${t("本校活动")}</h3><ul>${list.length ? list.map(c => html`<li>
        <a href="#/campaigns/${c.id}" aria-current=${c.id === id ? "true" : "false"}>${c.name}</a>
        <span class="muted">${fmt.date(c.opensAt)} – ${fmt.date(c.closesAt)} · ${c.instruments.map(i => i + (c.instrumentVersions && c.instrumentVersions[i] ? " v" + c.instrumentVersions[i] : "")).join(", ")}</span></li>`) : html`<li>${t("暂无")}</li>`}</ul></section>
      <section class="card"><h3>${t("新建筛查活动")}</h3><form id="new" @submit=${create}>
        <label style="display:flex">${t("名称")} <input name="name" required maxlength="100" placeholder=${t("2026年秋季学期心理健康筛查")}></label>
        <fieldset><legend>${t("量表@instruments")}</legend>${instruments.map(i => html`<label class="inline"><input type="checkbox" name="instrument" value=${i.id}>
          ${i.id} v${i.version} <span class="muted">${both(i.title)} · ${i.ages.min}–${i.ages.max}${t("岁")}${i.respondent === "GUARDIAN" ? " · " + t("家长填写") : ""}</span></label>`)}</fieldset>
        <fieldset><legend>${t("年级@grades")}</legend>${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(g => html`<label class="inline"><input type="checkbox" name="grade" value=${g}> ${g}</label>`)}</fieldset>
        <label>${t("开始@opens")} <input type="datetime-local" name="opensAt" required .value=${fmt.localInput(new Date())}></label>
        <label>${t("结束@closes")} <input type="datetime-local" name="closesAt" required .value=${fmt.localInput(new Date(Date.now() + 14 * 864e5))}></label>
        <div><button>${t("创建并生成访问码")}</button></div></form></section></div></div>`, el);
    if (id) {
      const box = el.querySelector("#progress");
      const campaign = list.find(c => c.id === id) || await api("screening", "campaigns/" + id);
      const view = { issued: null, problems: null, reissued: null };
      const draw = async () => {
        const [progress, conflicts] = await Promise.all([api("screening", `campaigns/${id}/progress`), api("screening", `campaigns/${id}/conflicts?schoolId=${school()}`)]);
        render(progressView(campaign, progress, conflicts, view, draw), box);
      };
      await draw();
      every(10000, () => { if (!box.contains(document.activeElement)) draw().catch(fail); }, el);
    }
  },
});

function progressView(c, p, conflicts, view, draw) {
  const rows = p.byClass.filter(r => !r.schoolId || r.schoolId === school());
  const slips = (extra = "") => `/bff/api/screening/campaigns/${c.id}/access-code-slips?schoolId=${school()}${extra}`;
  const width = (a, b) => `width:${b ? 100 * a / b : 0}%`;
  const issue = e => act(e.target, async () => {
    const r = await api("screening", `campaigns/${c.id}/access-codes`, { method: "POST" });
    view.issued = r.issued;
    await draw();
  });
  // students who cannot log in: a code locked by wrong birth dates, or no birth date on the roster (read on demand:
  // the list is identifiable and every read is audited)
  const check = e => act(e.target, async () => {
    const codes = await api("screening", `campaigns/${c.id}/access-codes?schoolId=${school()}`);
    view.problems = codes.filter(x => x.locked || x.birthDateMissing);
    await draw();
  });
  const reissue = (e, studentNumber) => {
    if (e.preventDefault) e.preventDefault();
    const number = studentNumber || e.target.studentNumber.value.trim();
    if (!number) return;
    act(e.submitter || e.target, async () => {
      view.reissued = await api("screening", `campaigns/${c.id}/access-codes/reissue`, { method: "POST", body: { schoolId: school(), studentNumber: number } });
      if (view.problems) view.problems = view.problems.filter(x => x.studentNumber !== number || x.birthDateMissing);
      await draw();
    });
  };
  const resolve = (e, k) => {
    e.preventDefault();
    const f = e.target;
    act(e.submitter, async () => {
      await api("screening", `submissions/${k.conflicting.submissionId}/resolution`, { method: "POST", body: { decision: e.submitter.value, note: f.note.value } });
      refresh();
    });
  };
  return html`<section class="card"><h3>${c.name} <span class="muted">${t("每 10 秒刷新")}</span></h3>
    <p>${t("应筛")} <strong>${p.enrolled}</strong> · ${t("已提交")} <strong>${p.submitted}</strong> (${fmt.pct(p.submitted, p.enrolled)})
      · ${t("线上")} ${p.online} · ${t("纸质")} ${p.paper}</p>
    <div class="meter" aria-hidden="true"><span style=${width(p.submitted, p.enrolled)}></span></div>
    <table><thead><tr><th>${t("年级@grade")}</th><th>${t("班级")}</th><th class="num">${t("应筛")}</th><th class="num">${t("已提交")}</th><th>${t("覆盖率")}</th>
      <th class="num">${t("线上")}</th><th class="num">${t("纸质")}</th><th>${t("访问码条")}</th></tr></thead>
    <tbody>${rows.map(r => html`<tr><td>${r.grade}</td><td>${r.className}</td><td class="num">${r.enrolled}</td><td class="num">${r.submitted}</td>
      <td><div class="meter" title=${fmt.pct(r.submitted, r.enrolled)}><span style=${width(r.submitted, r.enrolled)}></span></div>${fmt.pct(r.submitted, r.enrolled)}</td>
      <td class="num">${r.online}</td><td class="num">${r.paper}</td>
      <td><a href=${slips(`&grade=${r.grade}&className=${encodeURIComponent(r.className)}`)} target="_blank" rel="noopener">PDF</a></td></tr>`)}</tbody></table>
    <div class="bar" style="margin-top:.6rem"><a class="button plain" href=${slips()} target="_blank" rel="noopener">${t("打印全部访问码条（PDF）")}</a>
      <button class="plain" id="issue" @click=${issue}>${t("为新入学学生补发访问码")}</button>
      <a class="button plain" href="#/paper/${c.id}">${t("纸质问卷录入")}</a></div>
    <p id="issued" class="muted">${view.issued == null ? "" : t("已补发：") + view.issued}</p></section>
    <section class="card" id="code-problems"><h3>${t("登录有困难的学生")}</h3>
      <p class="muted">${t("学生登录需输入访问码和出生日期。出生日期连续输错 5 次，访问码会锁定；名册缺少出生日期的学生无法在线登录（请补充名册后再登录，或使用纸质问卷）。")}</p>
      <div class="bar"><button class="plain" @click=${check}>${t("查看锁定或缺少出生日期的学生")}</button></div>
      ${view.problems == null ? nothing : view.problems.length ? html`<table><thead><tr><th>${t("学号")}</th><th>${t("姓名")}</th><th>${t("班级")}</th><th>${t("情况")}</th><th></th></tr></thead>
        <tbody>${view.problems.map(x => html`<tr><td>${x.studentNumber}</td><td>${x.name}</td><td>${x.grade} · ${x.className}</td>
          <td>${x.locked ? t("访问码已锁定") : t("名册缺少出生日期")}</td>
          <td>${x.locked ? html`<button class="plain" @click=${e => reissue(e, x.studentNumber)}>${t("重新发放访问码")}</button>` : nothing}</td></tr>`)}</tbody></table>`
        : html`<p>${t("没有登录有困难的学生。")}</p>`}
      <form class="bar" @submit=${e => reissue(e)}><label>${t("学号")} <input name="studentNumber" required maxlength="32"></label>
        <button>${t("重新发放访问码（访问码条丢失）")}</button></form>
      ${view.reissued ? html`<p role="status" class="notice">${tf("{name}（{number}）的新访问码：", { name: view.reissued.name, number: view.reissued.studentNumber })}
        <strong class="code">${view.reissued.accessCode}</strong> ${t("旧访问码已失效。")}</p>` : nothing}</section>
    <section class="card"><h3>${t("线上与纸质冲突")}</h3><div id="conflicts" class="muted">${conflicts.length ? conflicts.map(k => html`<div class="card">
      <strong>${k.studentName || k.studentNumber}</strong> ${k.instrumentId}
      <table><tbody>${[k.counted, k.conflicting].filter(Boolean).map((s, i) => html`<tr><td>${i ? t("冲突的一份") : t("计入的一份")}</td>
        <td>${s.mode === "PAPER" ? t("纸质") : t("线上")}</td><td>${fmt.time(s.submittedAt)}</td><td>${t("总分")} ${s.totalScore}</td>
        <td>${fmt.risk(s.riskLevel)}</td><td class="muted">${s.answers.join(" ")}</td></tr>`)}</tbody></table>
      <form @submit=${e => resolve(e, k)}><label>${t("说明")} <input name="note" required maxlength="500"></label>
        <button name="d" value="KEEP" class="plain">${t("保留计入的一份")}</button> <button name="d" value="REPLACE">${t("改用这一份")}</button></form></div>`)
      : t("没有待处理的冲突。")}</div></section>`;
}
