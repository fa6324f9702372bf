// Supervision and rectification: the bureau records an inspection of a school with coded findings, each an item with a
// deadline; the school answers what it did; the bureau closes the item or reopens it with what is still missing.
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, refresh, has, user } from "../shell.js";
import * as fmt from "../format.js";
import { SCHOOL, school } from "./school-common.js";

const FINDINGS = [["SCREENING", "筛查覆盖或组织不到位"], ["CARE_LOOP", "个案跟进不及时"], ["REFERRAL", "转介渠道不畅"], ["CURRICULUM", "心理健康课时不足"],
  ["STAFFING", "心理教师配备不足"], ["TRAINING", "教师培训未全覆盖"], ["ACTIVITIES", "宣教活动不足"], ["FACILITIES", "心理辅导室建设不达标"],
  ["RECORDS", "档案管理不规范"], ["PRIVACY", "学生信息保护不到位"], ["OTHER", "其他"]];
const STATUS = { OPEN: "待整改", ANSWERED: "待复核", CLOSED: "已销号" };
const STEP = { RAISED: "提出", ANSWERED: "学校答复", REOPENED: "退回重改", CLOSED: "销号" };
const view = { rows: 1 };

route({
  name: "supervision", title: "督导整改", roles: [...SCHOOL, "bureau-analyst"],
  async render(el) {
    const bureau = has("bureau-analyst");
    const list = await api("reporting", "inspections?" + (bureau ? "districtCode=" + user().districtCode : "schoolId=" + school()));
    const record = e => {
      e.preventDefault();
      const f = e.target;
      const findings = [...f.querySelectorAll(".finding")].map(r => ({ code: r.querySelector("select").value,
        text: r.querySelector("input[name=text]").value, dueOn: r.querySelector("input[type=date]").value })).filter(x => x.text);
      const body = { schoolId: f.schoolId.value, inspectedOn: f.inspectedOn.value, summary: f.summary.value || null,
        inspectors: f.inspectors.value.split(/[,，、\s]+/).filter(Boolean), findings };
      act(f.querySelector("button[type=submit]"), async () => { await api("reporting", "inspections", { method: "POST", body }); view.rows = 1; refresh(); });
    };
    const answer = (e, item) => {
      e.preventDefault();
      act(e.target.querySelector("button"), async () => {
        await api("reporting", `inspections/items/${item.id}/answer`, { method: "POST", body: { text: e.target.text.value } });
        refresh();
      });
    };
    const decide = (e, item, decision) => {
      const form = e.target.closest("form");
      act(e.target, async () => {
        await api("reporting", `inspections/items/${item.id}/decision`, { method: "POST",
          body: { decision, note: form.note.value || null, dueOn: form.dueOn.value || null } });
        refresh();
      });
    };
    const itemView = item => html`<li class=${item.overdue ? "overdue" : ""}><strong>${t(item.codeZh)}</strong> · ${item.finding}
      · ${t("截止")} ${fmt.date(item.dueOn)} · <span class="badge">${t(STATUS[item.status])}</span>${item.overdue ? html` <span class="badge risk-HIGH">${t("逾期")}</span>` : nothing}
      <ol class="muted">${item.steps.filter(s => s.action !== "RAISED").map(s => html`<li>${fmt.time(s.at)} ${t(STEP[s.action])}${s.text ? ": " + s.text : ""}</li>`)}</ol>
      ${!bureau && item.status === "OPEN" ? html`<form class="inline" @submit=${e => answer(e, item)}><input name="text" required maxlength="2000"
        aria-label=${t("整改情况")} placeholder=${t("整改情况")}> <button>${t("提交答复")}</button></form>` : nothing}
      ${bureau && item.status !== "OPEN" ? html`<form class="inline" @submit=${e => e.preventDefault()}><input name="note" maxlength="2000" aria-label=${t("复核意见")}
        placeholder=${t("复核意见")}> <input type="date" name="dueOn" aria-label=${t("新的截止日期")}>
        ${item.status === "ANSWERED" ? html`<button type="button" @click=${e => decide(e, item, "CLOSE")}>${t("销号")}</button>` : nothing}
        <button type="button" class="plain" @click=${e => decide(e, item, "REOPEN")}>${t("退回重改")}</button></form>` : nothing}</li>`;
    render(html`<h2>${t("督导整改")}</h2>
      ${bureau ? html`<section class="card"><h3>${t("记录一次督导检查")}</h3><form id="inspection" @submit=${record}>
        <label>${t("学校代码")} <input name="schoolId" required pattern="S[0-9]{9}" placeholder="S370811001"></label>
        <label>${t("检查日期")} <input type="date" name="inspectedOn" required .value=${new Date().toISOString().slice(0, 10)}></label>
        <label>${t("督导人员")} <input name="inspectors" required placeholder=${t("王督学、李督学")}></label>
        <label style="display:flex">${t("总体情况")} <input name="summary" maxlength="2000"></label>
        ${Array.from({ length: view.rows }, () => html`<div class="finding bar"><select aria-label=${t("问题类别")}>${fmt.options(FINDINGS)}</select>
          <input name="text" maxlength="1000" aria-label=${t("发现的问题")} placeholder=${t("发现的问题")}>
          <input type="date" aria-label=${t("整改截止")} .value=${new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10)}></div>`)}
        <div><button type="button" class="plain" @click=${() => { view.rows++; refresh(); }}>${t("再加一条问题")}</button> <button type="submit">${t("保存")}</button></div>
      </form></section>` : nothing}
      <div id="inspections">${list.length ? list.map(i => html`<section class="card"><h3>${i.schoolName} · ${fmt.date(i.inspectedOn)} · ${i.inspectors}</h3>
        ${i.summary ? html`<p>${i.summary}</p>` : nothing}
        ${i.items.length ? html`<ul class="items">${i.items.map(itemView)}</ul>` : html`<p class="muted">${t("未发现问题")}</p>`}</section>`)
        : html`<p class="muted">${t("暂无督导记录")}</p>`}</div>`, el);
  },
});
