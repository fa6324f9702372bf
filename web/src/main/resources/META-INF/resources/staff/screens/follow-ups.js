// The school's follow-ups (回访) after a hospital returned a student: what is due, what each found. "Worse" or
// "re-refer" sends the student back to the partner hospital.
import { html, render, nothing } from "../lit.js";
import { t, tf } from "../i18n.js";
import { api, act, route, refresh, go } from "../shell.js";
import * as fmt from "../format.js";
import { SCHOOL, school } from "./school-common.js";

const DUE = [["week", "一周内到期（含超时）"], ["overdue", "已超时"], ["all", "全部"]];
const OUTCOMES = [["SEEN", "已回访"], ["IMPROVED", "好转"], ["UNCHANGED", "无明显变化"], ["WORSE", "加重（重新转介）"], ["RE_REFER", "重新转介"],
  ["MOVED_SCHOOL", "已转学"], ["UNREACHABLE", "无法联系"]];
const outcome = v => { const o = OUTCOMES.find(x => x[0] === v); return o ? t(o[1]) : v; };

route({
  name: "follow-ups", title: "回访", roles: SCHOOL,
  async render(el, due = "week") {
    const list = await api("screening", `schools/${school()}/follow-ups?due=${encodeURIComponent(due)}`);
    const record = (e, f) => {
      e.preventDefault();
      const form = e.target;
      act(form.querySelector("button"), async () => {
        await api("screening", `follow-ups/${f.id}/outcome`, { method: "POST", body: { outcome: form.outcome.value, note: form.note.value || null } });
        refresh();
      });
    };
    render(html`<h2>${t("回访")} <span class="muted">${t("医院回转学生后的随访安排")}</span></h2>
      <div class="bar" role="tablist">${DUE.map(([k, key]) => html`<button role="tab" class=${k === due ? "" : "plain"} aria-selected=${String(k === due)}
        @click=${() => go("follow-ups", k)}>${t(key)}</button>`)}</div>
      <section class="card"><table><thead><tr><th>${t("到期")}</th><th>${t("学生")}</th><th>${t("风险")}</th><th>${t("由")}</th><th>${t("结果")}</th></tr></thead>
      <tbody id="follow-ups">${list.length ? list.map(f => html`<tr><td class=${f.overdue ? "overdue" : ""}>${fmt.date(f.dueOn)}
          <div class="muted">${tf("回转后第 {n} 天", { n: f.afterDays })}</div></td>
        <td><a href="#/risk/${f.caseId}">${f.studentName}</a><div class="muted">${f.studentNumber}</div></td><td>${fmt.risk(f.riskLevel)}</td>
        <td>${f.by === "SCHOOL" ? t("学校") : t("医院")}</td>
        <td>${f.outcome ? html`${outcome(f.outcome)} <span class="muted">${fmt.time(f.doneAt)} ${f.note || ""}</span>`
          : html`<form class="bar" @submit=${e => record(e, f)}><select name="outcome" aria-label=${t("结果")}>${fmt.options(OUTCOMES)}</select>
            <input name="note" maxlength="2000" placeholder=${t("说明")}> <button>${t("记录")}</button></form>`}</td></tr>`)
        : html`<tr><td colspan="5">${t("暂无")}</td></tr>`}</tbody></table></section>`, el);
  },
});
