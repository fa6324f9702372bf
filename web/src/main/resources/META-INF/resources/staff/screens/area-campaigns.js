// The bureau's campaigns: county- or city-wide campaigns created here (codes issued for every school at once), their
// progress, and the schools of the area with no campaign this semester.
import { html, render, nothing } from "../lit.js";
import { t, both } from "../i18n.js";
import { api, act, route, go } from "../shell.js";
import * as fmt from "../format.js";

/** The first day of the semester holding a day (1 Sep or 1 Feb, China time): campaigns opening since count for it. */
const semesterStart = d => { const y = d.getUTCFullYear(), m = d.getUTCMonth() + 1;
  return m >= 9 ? `${y}-09-01` : m === 1 ? `${y - 1}-09-01` : `${y}-02-01`; };

route({
  name: "area-campaigns", title: "区域筛查活动", roles: ["bureau-analyst", "platform-admin"],
  async render(el) {
    const [list, schools, instruments] = await Promise.all([api("screening", "campaigns"), api("screening", "schools"), api("screening", "instruments")]);
    const open = schools.filter(s => !s.closedOn);
    const since = semesterStart(new Date(Date.now() + 8 * 3600e3));
    const covered = new Set(list.filter(c => fmt.date(c.opensAt) >= since).flatMap(c => c.schoolIds));
    const missing = open.filter(s => !covered.has(s.id));
    const create = e => {
      e.preventDefault();
      const f = e.target;
      const body = { name: f.name.value, instruments: [...f.querySelectorAll("[name=instrument]:checked")].map(x => x.value),
        grades: [...f.querySelectorAll("[name=grade]:checked")].map(x => +x.value),
        schoolIds: [...f.querySelectorAll("[name=school]:checked")].map(x => x.value),
        opensAt: fmt.isoLocal(f.opensAt.value), closesAt: fmt.isoLocal(f.closesAt.value) };
      act(f.querySelector("button[type=submit]"), async () => { await api("screening", "campaigns", { method: "POST", body }); go("area-campaigns"); });
    };
    const all = (e, on) => e.target.closest("form").querySelectorAll("[name=school]").forEach(c => { c.checked = on; });
    render(html`<h2>${t("区域筛查活动")}</h2>
      <div class="cols"><div><section class="card"><h3>${t("本学期尚无筛查活动的学校")}（${missing.length} / ${open.length}）</h3>
        <ul id="no-campaign">${missing.length ? missing.map(s => html`<li>${s.name} <span class="muted">${s.id}</span></li>`) : html`<li>${t("每所学校本学期都有筛查活动。")}</li>`}</ul></section>
        <section class="card"><h3>${t("本区域的筛查活动")}</h3><table id="area-campaign-list"><thead><tr><th>${t("名称")}</th><th>${t("时间")}</th><th class="num">${t("学校数")}</th>
          <th>${t("量表@instruments")}</th></tr></thead><tbody>${list.length ? list.map(c => html`<tr><td>${c.name}</td><td>${fmt.date(c.opensAt)} – ${fmt.date(c.closesAt)}</td>
            <td class="num">${c.schoolIds.length}</td><td>${c.instruments.map(i => i + (c.instrumentVersions && c.instrumentVersions[i] ? " v" + c.instrumentVersions[i] : "")).join(", ")}</td></tr>`)
            : html`<tr><td colspan="4">${t("暂无")}</td></tr>`}</tbody></table></section></div>
      <section class="card"><h3>${t("新建区域筛查活动")}</h3><form id="new-area-campaign" @submit=${create}>
        <label style="display:flex">${t("名称")} <input name="name" required maxlength="100" placeholder=${t("2026年秋季学期心理健康筛查")}></label>
        <fieldset><legend>${t("量表@instruments")}</legend>${instruments.map(i => html`<label class="inline"><input type="checkbox" name="instrument" value=${i.id}>
          ${i.id} v${i.version} <span class="muted">${both(i.title)} · ${i.ages.min}–${i.ages.max}${t("岁")}${i.respondent === "GUARDIAN" ? " · " + t("家长填写") : ""}</span></label>`)}</fieldset>
        <fieldset><legend>${t("年级@grades")}</legend>${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(g => html`<label class="inline"><input type="checkbox" name="grade" value=${g}> ${g}</label>`)}</fieldset>
        <fieldset><legend>${t("学校")} <button type="button" class="link" @click=${e => all(e, true)}>${t("全选")}</button> ·
          <button type="button" class="link" @click=${e => all(e, false)}>${t("全不选")}</button></legend><div class="ticks">
          ${open.map(s => html`<label><input type="checkbox" name="school" value=${s.id} ?checked=${!covered.has(s.id)}> ${s.name}</label>`)}</div></fieldset>
        <label>${t("开始@opens")} <input type="datetime-local" name="opensAt" required .value=${fmt.localInput(new Date())}></label>
        <label>${t("结束@closes")} <input type="datetime-local" name="closesAt" required .value=${fmt.localInput(new Date(Date.now() + 14 * 864e5))}></label>
        <div><button type="submit">${t("创建并生成访问码")}</button></div></form></section></div>`, el);
  },
});
