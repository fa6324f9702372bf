// Mandated activities: lectures and group sessions a school records, teacher trainings the bureau records.
import { html, render } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, refresh, has, user } from "../shell.js";
import * as fmt from "../format.js";
import { SCHOOL, school } from "./school-common.js";

const KINDS = [["LECTURE", "心理健康讲座"], ["GROUP_COUNSELLING", "团体辅导"], ["TEACHER_TRAINING", "教师培训"]];
const kind = k => { const x = KINDS.find(y => y[0] === k); return x ? t(x[1]) : k; };

route({
  name: "activities", title: "规定活动", roles: [...SCHOOL, "bureau-analyst"],
  async render(el) {
    const bureau = has("bureau-analyst");
    const list = await api("reporting", "activities?" + (bureau ? "districtCode=" + user().districtCode : "schoolId=" + school()));
    const attendance = (e, a) => act(e.target, async () => {
      const file = e.target.files[0];
      const r = await api("reporting", `activities/${a.id}/attendance`, { method: "POST", body: file, type: "text/csv" });
      e.target.value = "";
      el.querySelector("#activity-note").textContent = `${a.title} · ${t("已登记签到")} ${r.added}`;
    });
    const remove = (e, a) => act(e.target, async () => { await api("reporting", "activities/" + a.id, { method: "DELETE" }); refresh(); });
    const add = e => {
      e.preventDefault();
      const f = e.target;
      const body = { kind: f.kind.value, heldOn: f.heldOn.value, title: f.title.value, participants: +f.participants.value };
      if (bureau) body.districtCode = user().districtCode; else body.schoolId = school();
      act(f.querySelector("button"), async () => { await api("reporting", "activities", { method: "POST", body }); refresh(); });
    };
    render(html`<h2>${t("规定活动@mandated")} <span class="muted">${t("讲座每学期 ≥ 1，团体辅导每学期 ≥ 4，教师培训全市每年 ≥ 5")}</span></h2>
      <p id="activity-note" class="muted" aria-live="polite"></p>
      <div class="cols"><section class="card"><table><thead><tr><th>${t("日期")}</th><th>${t("类型")}</th><th>${t("主题")}</th><th class="num">${t("人数")}</th><th></th></tr></thead>
        <tbody>${list.length ? list.map(a => html`<tr><td>${fmt.date(a.heldOn)}</td><td>${kind(a.kind)}</td><td>${a.title}</td><td class="num">${a.participants}</td>
          <td>${a.kind === "TEACHER_TRAINING" ? html`<label class="link">${t("上传签到表")}<input type="file" accept=".csv,text/csv" hidden
            aria-label=${t("签到表（学校代码,工号）")} @change=${e => attendance(e, a)}></label> · ` : ""}<button class="link" @click=${e => remove(e, a)}>${t("删除")}</button></td></tr>`)
          : html`<tr><td colspan="5">${t("本学期暂无记录")}</td></tr>`}</tbody></table></section>
      <section class="card"><h3>${t("记录一次活动")}</h3><form id="add" @submit=${add}>
        <label>${t("类型")} <select name="kind">${fmt.options(KINDS.filter(k => !bureau || k[0] === "TEACHER_TRAINING"))}</select></label>
        <label>${t("日期")} <input type="date" name="heldOn" required .value=${new Date().toISOString().slice(0, 10)}></label>
        <label style="display:flex">${t("主题")} <input name="title" required maxlength="200"></label>
        <label>${t("参加人数")} <input type="number" name="participants" min="1" max="100000" required></label>
        <div><button>${t("保存")}</button></div></form></section></div>`, el);
  },
});
