// Teacher training at a school: the staff list (CSV import), who is still untrained this year, and ticking who of the
// school attended each training of the city, the county or the school. Names stay here: the bureau sees counts.
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, refresh } from "../shell.js";
import * as fmt from "../format.js";
import { SCHOOL, school } from "./school-common.js";

const view = { session: null };

route({
  name: "training", title: "教师培训", roles: SCHOOL,
  async render(el) {
    const [staff, sessions] = await Promise.all([api("reporting", `schools/${school()}/staff`), api("reporting", `schools/${school()}/trainings`)]);
    const untrained = staff.filter(s => !s.trained);
    const chosen = sessions.find(s => s.activityId === view.session);
    const upload = e => {
      e.preventDefault();
      const file = e.target.file.files[0];
      act(e.target.querySelector("button"), async () => {
        const r = await api("reporting", `schools/${school()}/staff`, { method: "PUT", body: file, type: "text/csv" });
        e.target.querySelector("output").value = `${t("新增")} ${r.added} · ${t("更新")} ${r.updated} · ${t("停用")} ${r.deactivated}`;
        refresh();
      });
    };
    const save = e => {
      e.preventDefault();
      const staffIds = [...e.target.querySelectorAll("input[type=checkbox]:checked")].map(c => c.value);
      act(e.target.querySelector("button"), async () => {
        await api("reporting", `schools/${school()}/trainings/${chosen.activityId}/attendance`, { method: "PUT", body: { staffIds } });
        refresh();
      });
    };
    const covered = staff.length ? (100 * (staff.length - untrained.length) / staff.length).toFixed(1) : "—";
    render(html`<h2>${t("教师培训")} <span class="muted">${t("全年至少 5 期，确保每位教师都参加培训")}</span></h2>
      <div class="cols"><section class="card"><h3>${t("本年度覆盖")}</h3>
        <p id="coverage"><strong>${staff.length - untrained.length} / ${staff.length}</strong> ${t("位教师已参加培训")}（${covered}%）</p>
        <h3>${t("尚未参加培训")}（${untrained.length}）</h3>
        <table id="untrained"><thead><tr><th>${t("工号")}</th><th>${t("姓名")}</th><th>${t("岗位")}</th></tr></thead>
          <tbody>${untrained.length ? untrained.map(s => html`<tr><td>${s.staffId}</td><td>${s.name}</td><td>${t(s.roleZh)}</td></tr>`)
            : html`<tr><td colspan="3">${staff.length ? t("全部教师均已参加培训。") : t("请先导入教职工名单。")}</td></tr>`}</tbody></table></section>
      <section class="card"><h3>${t("培训场次与签到")}</h3>
        <table><thead><tr><th>${t("日期")}</th><th>${t("主题")}</th><th class="num">${t("本校参加")}</th><th></th></tr></thead>
          <tbody>${sessions.length ? sessions.map(s => html`<tr><td>${fmt.date(s.heldOn)}</td><td>${s.title}</td><td class="num">${s.attendees.length}</td>
            <td><button class="link" @click=${() => { view.session = s.activityId; refresh(); }}>${t("勾选参加人员")}</button></td></tr>`)
            : html`<tr><td colspan="4">${t("本年度暂无培训")}</td></tr>`}</tbody></table>
        ${chosen ? html`<form id="tick" @submit=${save}><h3>${chosen.title} · ${fmt.date(chosen.heldOn)}</h3>
          <div class="ticks">${staff.map(s => html`<label><input type="checkbox" value=${s.staffId} ?checked=${chosen.attendees.includes(s.staffId)}> ${s.name}</label>`)}</div>
          <button>${t("保存签到")}</button></form>` : nothing}</section></div>
      <section class="card"><h3>${t("导入教职工名单")}</h3>
        <p class="muted">${t("CSV（UTF-8 或 GB18030）：工号、姓名、岗位（班主任 / 心理教师 / 其他）。名单外的人员会停用，其培训记录保留。")}</p>
        <form id="staff-upload" @submit=${upload}><input type="file" name="file" accept=".csv,text/csv" required aria-label=${t("教职工名单文件")}>
          <button>${t("导入")}</button> <output aria-live="polite"></output></form></section>`, el);
  },
});
