// The auditor's audit log: every service keeps its own; search one by who, what, which resource, which school and when,
// and export what the filters find as CSV (the export is itself on record).
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, route, refresh } from "../shell.js";
import * as fmt from "../format.js";

const SERVICES = [["screening", "筛查服务"], ["referral", "转介服务"], ["hotline", "热线服务"], ["reporting", "报表服务"], ["notification", "通知服务"]];
const ACTIONS = [["", "全部操作"], ["READ", "读取"], ["CREATE", "新建"], ["UPDATE", "修改"], ["EXPORT", "导出"], ["TRANSITION", "状态变更"]];
const view = { service: "screening", filters: {} };

route({
  name: "audit", title: "审计日志", roles: ["auditor"], landing: true,
  async render(el) {
    const q = new URLSearchParams(Object.entries(view.filters).filter(([, v]) => v)).toString();
    const lines = await api(view.service, "audit?size=200" + (q ? "&" + q : ""));
    const search = e => {
      e.preventDefault();
      const f = e.target;
      view.service = f.service.value;
      view.filters = { actor: f.actor.value.trim(), action: f.action.value, resource: f.resource.value.trim(), schoolId: f.schoolId.value.trim(),
        from: f.from.value ? new Date(f.from.value).toISOString() : "", to: f.to.value ? new Date(f.to.value).toISOString() : "" };
      refresh();
    };
    render(html`<h2>${t("审计日志")} <span class="muted">${t("每一次读取可识别信息都有记录；日志只能查询，不能修改。")}</span></h2>
      <section class="card"><form id="audit-search" class="bar" @submit=${search}>
        <label class="inline">${t("服务")} <select name="service">${fmt.options(SERVICES, view.service)}</select></label>
        <label class="inline">${t("操作人")} <input name="actor" size="14" .value=${view.filters.actor || ""}></label>
        <label class="inline">${t("操作")} <select name="action">${fmt.options(ACTIONS, view.filters.action || "")}</select></label>
        <label class="inline">${t("资源")} <input name="resource" size="14" .value=${view.filters.resource || ""}></label>
        <label class="inline">${t("学校代码")} <input name="schoolId" size="11" pattern="S[0-9]{9}" .value=${view.filters.schoolId || ""}></label>
        <label class="inline">${t("自")} <input type="date" name="from"></label> <label class="inline">${t("至")} <input type="date" name="to"></label>
        <button>${t("查询")}</button>
        <a id="audit-export" href=${`/bff/api/${view.service}/audit/export${q ? "?" + q : ""}`}>${t("导出 CSV")}</a></form></section>
      <section class="card"><table id="audit-lines"><thead><tr><th>${t("时间")}</th><th>${t("操作人")}</th><th>${t("角色")}</th><th>${t("操作")}</th>
        <th>${t("资源")}</th><th>${t("资源编号")}</th><th>${t("学校")}</th><th>${t("目的")}</th></tr></thead>
        <tbody>${lines.length ? lines.map(l => html`<tr><td>${fmt.time(l.at)}</td><td>${l.actor}</td><td>${l.actorRoles}</td><td>${l.action}</td><td>${l.resource}</td>
          <td>${l.resourceId || "—"}</td><td>${l.schoolId || "—"}</td><td>${l.purpose || ""}</td></tr>`)
          : html`<tr><td colspan="8">${t("没有符合条件的记录")}</td></tr>`}</tbody></table>
        ${lines.length === 200 ? html`<p class="muted">${t("仅显示最新 200 条；导出可得全部（最多 5 万条）。")}</p>` : nothing}</section>`, el);
  },
});
