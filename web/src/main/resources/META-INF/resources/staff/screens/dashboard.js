// The bureau's dashboard (Apache ECharts): coverage, risk distribution, referral timeliness, hotline calls by hour,
// mandated activities; a click on a bar drills down city → county → school.
import { html, render, nothing } from "../lit.js";
import { t, lang } from "../i18n.js";
import { api, route, refresh, has } from "../shell.js";
import * as fmt from "../format.js";
import { BUREAU, home, campaigns } from "./report-common.js";
import { echartsLibrary } from "../charts.js";

const dash = { trail: null };
const value = c => c && !c.suppressed && c.value != null ? Number(c.value) : null;
const colIndex = (tb, ...ids) => tb.columns.findIndex(c => ids.includes(c.id));
const table = (report, id) => report.tables.find(x => x.id === id) || report.tables[0];
const columnLabel = c => lang() === "en" ? c.labelEn : c.label;

/** A category axis that shows every area (ECharts drops labels it thinks would overlap): long names wrap, many slant. */
const categories = names => ({ type: "category", data: names, axisLabel: { interval: 0, lineHeight: 15, rotate: names.length > 6 ? 30 : 0,
  formatter: v => names.length > 6 || v.length <= 7 ? v : v.match(/.{1,7}/gu).join("\n") } });

function chart(el, echarts, option) {
  const c = echarts.init(el, null, { renderer: "svg" });
  const empty = (option.series || []).every(s => s.data.every(v => v == null || v === 0));
  if (empty) option.title = { text: t("暂无数据"), left: "center", top: "middle", textStyle: { color: "#94a3b8", fontSize: 14, fontWeight: "normal" } };
  // a legend at the top takes one or two lines, and an axis name sits above the axis: room for both
  const top = option.legend ? (option.yAxis && option.yAxis.name ? 84 : 60) : 36;
  c.setOption(Object.assign({ animation: false, tooltip: { trigger: "axis" }, grid: { left: 48, right: 40, top, bottom: 48, containLabel: true } }, option));
  window.addEventListener("resize", () => c.resize());
  return c;
}

const CHARTS = [["c-coverage", "筛查覆盖率", "覆盖率柱状图"], ["c-risk", "风险分布", "风险分布"], ["c-referral", "转介时效（小时）", "转介时效"],
  ["c-hotline", "热线来电（按小时）", "热线来电"], ["c-activities", "规定活动达标与排名", "活动达标"], ["c-trend", "学期趋势（%）", "学期趋势折线图"]];
// the rates the trend chart follows semester by semester: the trend table and its column
const TRENDS = [["trend-coverage", "coverage", "筛查覆盖率"], ["trend-risk", "high", "高风险及以上占比"],
  ["trend-follow-up", "onTimeRate", "回访按时率"], ["trend-activities", "rate", "规定活动达标率"]];

route({
  name: "dashboard", title: "数据看板", roles: BUREAU, landing: true,
  async render(el) {
    if (!dash.trail) {
      const h = home();
      if (!h) { render(html`${t("没有辖区。")}`, el); return; }
      dash.trail = [h];
    }
    const where = dash.trail[dash.trail.length - 1];
    const q = `level=${where.level}&code=${encodeURIComponent(where.code)}`;
    const [echarts, list, referrals, hotline, activities, trends] = await Promise.all([echartsLibrary(), campaigns(where),
      api("reporting", "reports/referrals?" + q), where.level === "school" ? null : api("reporting", "reports/hotline?" + q),
      api("reporting", "reports/activities?" + q), api("reporting", "reports/trends?" + q)]);
    const screening = list.length ? await api("reporting", `reports/screening?${q}&campaignId=${list[0].id}`) : null;
    if (screening) where.name = screening.name;
    render(html`<h2>${t("数据看板")} · <span class="crumbs" id="dcrumbs">${dash.trail.map((w, i) => html`<button class="link"
        @click=${() => { dash.trail = dash.trail.slice(0, i + 1); refresh(); }}>${w.name || w.code}</button>${i < dash.trail.length - 1 ? " › " : ""}`)}</span></h2>
      <p class="muted">${screening ? list[0].name + " · " : ""}${t("点击柱形下钻：市 → 区县 → 学校；少于 5 人的格子不显示（<5）。")}</p>
      <div class="grid">${CHARTS.map(([id, title, aria]) => html`<section class="card"><h3>${t(title)}</h3><div class="chart" id=${id} role="img" aria-label=${t(aria)}></div></section>`)}
        <section class="card"><h3>${t("需关注的转介")}</h3><div id="alerts" class="muted"></div></section>
        <section class="card"><h3>${t("逾期整改")}</h3><div id="overdue" class="muted"></div></section></div>`, el);
    const $ = sel => el.querySelector(sel);
    const drill = tb => params => {
      const r = tb.rows[params.dataIndex];
      if (tb.drillLevel && r && r.code) { dash.trail.push({ level: tb.drillLevel, code: r.code, name: r.name }); refresh(); }
    };

    if (screening) {
      const cov = table(screening, "coverage");
      const ci = colIndex(cov, "coverage");
      chart($("#c-coverage"), echarts, {
        xAxis: categories(cov.rows.map(r => r.name)),
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{ type: "bar", name: t("覆盖率"), data: cov.rows.map(r => { const v = value(r.cells[ci]); return v == null ? null : +v.toFixed(1); }),
          label: { show: true, position: "top", formatter: p => p.value == null ? "<5" : p.value + "%" }, itemStyle: { color: "#0d9488" } }],
      }).on("click", drill(cov));
      const risk = screening.tables.find(x => x.id === "risk") || cov;
      const levels = risk.columns.map((c, i) => ({ c, i })).filter(({ c }) => /^(NONE|LOW|MODERATE|HIGH|CRITICAL)$/.test(c.id));
      const colours = { NONE: "#94a3b8", LOW: "#5eead4", MODERATE: "#f59e0b", HIGH: "#dc2626", CRITICAL: "#7f1d1d" };
      chart($("#c-risk"), echarts, {
        legend: { top: 0 }, xAxis: categories(risk.rows.map(r => r.name)), yAxis: { type: "value" },
        series: levels.map(({ c, i }) => ({ type: "bar", stack: "risk", name: fmt.riskLabel(c.id), itemStyle: { color: colours[c.id] }, data: risk.rows.map(r => value(r.cells[i])) })),
      }).on("click", drill(risk));
    } else {
      $("#c-coverage").textContent = $("#c-risk").textContent = t("暂无筛查活动");
    }

    const ref = table(referrals, "by-area");
    chart($("#c-referral"), echarts, {
      legend: { top: 0 }, xAxis: categories(ref.rows.map(r => r.name)), yAxis: { type: "value", name: t("小时@hours") },
      series: ["acceptP50", "acceptP90", "visitP50", "visitP90"].map(id => colIndex(ref, id)).filter(i => i >= 0)
        .map(i => ({ type: "bar", name: columnLabel(ref.columns[i]), data: ref.rows.map(r => value(r.cells[i])) })),
    }).on("click", drill(ref));

    if (hotline) {
      const hours = table(hotline, "by-hour");
      chart($("#c-hotline"), echarts, {
        xAxis: { type: "category", data: hours.rows.map(r => r.name) }, yAxis: { type: "value" },
        series: [{ type: "bar", name: t("来电@calls"), data: hours.rows.map(r => value(r.cells[colIndex(hours, "total")])), itemStyle: { color: "#0369a1" } }],
      });
    } else {
      $("#c-hotline").textContent = t("热线按区县统计，学校层级不显示。");
    }

    // the city sees the counties ranked (laggards first, for the circular); a county sees its schools' counts
    const rank = activities.tables.find(x => x.id === "county-ranking");
    const shown = rank || table(activities, "schools");
    const cols = rank ? ["rate"] : ["lectures", "groups"];
    chart($("#c-activities"), echarts, {
      legend: { top: 0 }, xAxis: { type: "value" }, yAxis: { type: "category", inverse: true, data: shown.rows.map(r => r.name) },
      series: cols.map(id => colIndex(shown, id)).filter(i => i >= 0).map(i => ({ type: "bar", name: columnLabel(shown.columns[i]),
        data: shown.rows.map(r => value(r.cells[i])), label: { show: true, position: "right", formatter: p => p.value == null ? "" : +Number(p.value).toFixed(1) } })),
    }).on("click", drill(shown));

    const series = TRENDS.map(([id, col, name]) => ({ tb: trends.tables.find(x => x.id === id), col, name })).filter(x => x.tb);
    const semesters = series.length ? series[0].tb.rows.map(r => r.name) : [];
    chart($("#c-trend"), echarts, {
      legend: { top: 0 }, xAxis: categories(semesters), yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: series.map(({ tb, col, name }) => ({ type: "line", name: t(name), connectNulls: false, symbolSize: 8,
        data: tb.rows.map(r => { const v = value(r.cells[colIndex(tb, col)]); return v == null ? null : +v.toFixed(1); }) })),
    });

    const overdue = where.level === "school" || !has("bureau-analyst") ? []
      : (await api("reporting", "inspections?districtCode=" + where.code).catch(() => []))
        .flatMap(i => i.items.filter(x => x.overdue).map(x => ({ ...x, school: i.schoolName })));
    render(overdue.length ? html`<table><thead><tr><th>${t("学校")}</th><th>${t("问题类别")}</th><th>${t("整改截止")}</th></tr></thead>
      <tbody>${overdue.map(x => html`<tr><td>${x.school}</td><td>${t(x.codeZh)}</td><td>${fmt.date(x.dueOn)}</td></tr>`)}</tbody></table>`
      : t("没有逾期未整改的事项。"), $("#overdue"));

    const alerts = where.level === "school" ? [] : await api("referral", "referrals/alerts?districtCode=" + where.code).catch(() => []);
    render(alerts.length ? html`<table><thead><tr><th>${t("风险")}</th><th>${t("学校")}</th><th>${t("医院")}</th><th>${t("情况")}</th><th>${t("自")}</th></tr></thead>
      <tbody>${alerts.map(a => html`<tr><td>${fmt.risk(a.riskLevel)}</td><td>${a.schoolId}</td><td>${a.hospitalId || "—"}</td><td>${a.escalation || a.status}</td>
        <td>${fmt.time(a.since)}</td></tr>`)}</tbody></table>` : t("没有超时或升级的转介。"), $("#alerts"));
  },
});
