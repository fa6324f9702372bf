// Reports for the bureau and school staff: tables with drill-down (city → county → school) and exports. Cells come
// suppressed from reporting-service ("<5", "*"); the page shows them as sent.
import { html, render, nothing } from "../lit.js";
import { t, lang } from "../i18n.js";
import { api, route, refresh, has } from "../shell.js";
import { BUREAU, SCHOOL_STAFF, home, campaigns } from "./report-common.js";

const KINDS = [["screening", "筛查"], ["referrals", "转介"], ["care-loop", "闭环管理"], ["hotline", "热线"], ["activities", "规定活动"],
  ["training", "教师培训覆盖"], ["outreach", "医院宣传"], ["trends", "学期趋势"], ["rankings", "排名与通报"]];
const view = { kind: "screening", trail: null, campaign: null, period: "" };
const thisMonth = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
const label = (zh, en) => lang() === "en" && en ? en : zh;

function tables(report, drill) {
  const row = (r, level) => html`<tr><td>${level && r.code
    ? html`<button class="link" @click=${() => drill({ level, code: r.code, name: r.name })}>${r.name}</button>` : r.name}</td>
    ${r.cells.map(c => html`<td class="num ${c.suppressed ? "hidden" : ""}">${c.display}</td>`)}</tr>`;
  return html`${report.tables.map(tb => html`<section class="card"><h3>${label(tb.title, tb.titleEn)}</h3><table>
      <thead><tr><th>${tb.rowHeader}</th>${tb.columns.map(c => html`<th class="num" title=${c.labelEn || ""}>${label(c.label, c.labelEn)}</th>`)}</tr></thead>
      <tbody>${tb.rows.map(r => row(r, tb.drillLevel))}</tbody>${tb.totals ? html`<tfoot>${row(tb.totals)}</tfoot>` : nothing}</table></section>`)}
    <p class="notes">${(report.notes || []).join(" · ")}</p>`;
}

route({
  name: "reports", title: "报表", roles: [...BUREAU, ...SCHOOL_STAFF],
  async render(el) {
    if (!view.trail) {
      const h = home();
      if (!h) { render(html`${t("没有可用的辖区或学校。")}`, el); return; }
      view.trail = [h];
    }
    const where = view.trail[view.trail.length - 1];
    let query = `level=${where.level}&code=${encodeURIComponent(where.code)}`;
    let list = [];
    if (view.kind === "screening") {
      list = await campaigns(where);
      if (list.length && !list.some(c => c.id === view.campaign)) view.campaign = list[0].id;
      query += "&campaignId=" + view.campaign;
    }
    if (["rankings", "outreach"].includes(view.kind) && where.level === "school") view.kind = "trends";
    if (view.kind === "rankings" && view.period) query += "&period=" + encodeURIComponent(view.period);
    const report = view.kind !== "screening" || list.length ? await api("reporting", `reports/${view.kind}?${query}`) : null;
    if (report) where.name = report.name;
    const choose = kind => { view.kind = kind; refresh(); };
    const export_ = format => `/bff/api/reporting/reports/${view.kind}/export?format=${format}&${query}`;
    render(html`<h2>${t("报表")}</h2>
      <div class="bar" role="tablist">${KINDS.filter(([k]) => !["hotline", "rankings", "outreach"].includes(k) || has(...BUREAU) && (!["rankings", "outreach"].includes(k) || where.level !== "school")).map(([k, key]) => html`<button role="tab"
        class=${k === view.kind ? "" : "plain"} aria-selected=${String(k === view.kind)} @click=${() => choose(k)}>${t(key)}</button>`)}</div>
      <div class="bar"><span class="crumbs" id="crumbs">${view.trail.map((w, i) => html`<button @click=${() => { view.trail = view.trail.slice(0, i + 1); refresh(); }}>${w.name || w.code}</button>${i < view.trail.length - 1 ? " › " : ""}`)}</span>
        ${view.kind === "screening" ? html`<label class="inline" id="campaign-box">${t("筛查活动@campaign")} <select id="campaign" @change=${e => { view.campaign = e.target.value; refresh(); }}>
          ${list.map(c => html`<option value=${c.id} ?selected=${c.id === view.campaign}>${c.name}</option>`)}</select></label>` : nothing}
        ${view.kind === "rankings" ? html`<label class="inline">${t("期间@period")} <input id="period" size="12" placeholder="2026-autumn / 2026-11"
          .value=${view.period} @change=${e => { view.period = e.target.value.trim(); refresh(); }}></label>
          <a id="bulletin" href=${`/bff/api/reporting/reports/bulletin?level=${where.level}&code=${encodeURIComponent(where.code)}&month=${/^\d{4}-\d{2}$/.test(view.period) ? view.period : thisMonth()}`}>${t("本月通报 PDF")}</a>` : nothing}
        ${report ? html`<span>${t("导出")}: <a id="csv" href=${export_("csv")}>CSV</a> · <a id="xlsx" href=${export_("xlsx")}>Excel</a> · <a id="pdf" href=${export_("pdf")}>PDF</a></span>` : nothing}</div>
      <div id="tables">${report ? tables(report, w => { view.trail.push(w); refresh(); }) : t("暂无筛查活动")}</div>`, el);
  },
});
