// Roster import: a CSV or Excel file in the background, its progress in words, row errors with line numbers.
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route } from "../shell.js";
import { SCHOOL, school } from "./school-common.js";

const STATUS = { QUEUED: "排队中", RUNNING: "导入中", DONE: "已完成", FAILED: "失败" };
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

route({
  name: "roster", title: "花名册", roles: SCHOOL,
  async render(el) {
    let job = null;
    const upload = e => {
      e.preventDefault();
      const f = e.target;
      const file = f.file.files[0];
      const type = file.name.toLowerCase().endsWith(".xlsx") ? XLSX : "text/csv";
      act(f.querySelector("button"), async () => {
        job = await api("screening", `schools/${school()}/roster-imports`, { method: "POST", body: file, type });
        draw();
        while (job.status !== "DONE" && job.status !== "FAILED" && el.isConnected) { // the import goes on if the user leaves
          await new Promise(r => setTimeout(r, 500));
          job = await api("screening", "roster-imports/" + job.id);
          draw();
        }
      });
    };
    const draw = () => render(html`<h2>${t("学生花名册导入")}</h2><section class="card">
      <p class="muted">${t("CSV（UTF-8 或 GB18030）或 Excel：学号、姓名、性别、出生日期、年级、班级、监护人姓名、监护人电话。重复导入只更新，不会重复。")}</p>
      <form id="up" @submit=${upload}><input type="file" name="file" accept=".csv,.xlsx,text/csv" required aria-label=${t("花名册文件")}> <button>${t("导入")}</button></form>
      <div id="job" aria-live="polite">${job ? jobView(job) : nothing}</div></section>`, el);
    draw();
  },
});

function jobView(j) {
  return html`<p>${STATUS[j.status] ? t(STATUS[j.status]) : j.status} · ${j.processedRows} / ${j.totalRows}</p>
    <progress max=${j.totalRows || 1} .value=${j.processedRows}></progress>
    <p>${t("新增")} ${j.createdRows} · ${t("更新")} ${j.updatedRows} · ${t("有错误的行")} ${j.errorRows}</p>
    ${(j.errors || []).length ? html`<table><thead><tr><th>${t("行")}</th><th>${t("错误")}</th></tr></thead><tbody>
      ${j.errors.map(x => html`<tr><td>${x.line || t("文件")}</td><td class="field-error">${x.errors.join("; ")}</td></tr>`)}</tbody></table>` : nothing}`;
}
