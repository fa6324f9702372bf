"use strict";
// Reports (tables with drill-down and exports) for the bureau and school staff, and the bureau's dashboard
// (Apache ECharts). Cells come suppressed from reporting-service ("<5", "*"); the page shows them as sent.
(() => {
  const { t, esc, api, route, has } = X;
  const BUREAU = ["bureau-analyst", "platform-admin"];
  const SCHOOL = ["school-counselor", "school-admin"];

  /** Where the signed-in user's reports start: their district (city or county) or their school. */
  function home() {
    const me = X.me;
    if (has(...BUREAU) && me.districtCode) return { level: me.districtCode.endsWith("00") ? "city" : "county", code: me.districtCode };
    if (has(...SCHOOL) && me.schoolId) return { level: "school", code: me.schoolId };
    return null;
  }

  async function campaigns(where) {
    return api("reporting", `reports/screening/campaigns?level=${where.level}&code=${encodeURIComponent(where.code)}`);
  }

  // ---- tables -------------------------------------------------------------------------------------------------
  const view = { kind: "screening", trail: null, campaign: null };

  function renderTables(box, report, onDrill) {
    box.innerHTML = "";
    for (const tb of report.tables) {
      const s = document.createElement("section"); s.className = "card";
      const head = `<tr><th>${esc(tb.rowHeader)}</th>${tb.columns.map(c => `<th class="num" title="${esc(c.labelEn)}">${esc(X.lang === "en" && c.labelEn ? c.labelEn : c.label)}</th>`).join("")}</tr>`;
      const row = (r, drill) => `<tr><td>${drill && r.code ? `<button class="link" data-code="${esc(r.code)}" data-name="${esc(r.name)}" data-level="${drill}">${esc(r.name)}</button>` : esc(r.name)}</td>${
        r.cells.map(c => `<td class="num ${c.suppressed ? "hidden" : ""}">${esc(c.display)}</td>`).join("")}</tr>`;
      s.innerHTML = `<h3>${esc(X.lang === "en" && tb.titleEn ? tb.titleEn : tb.title)}</h3><table><thead>${head}</thead><tbody>${tb.rows.map(r => row(r, tb.drillLevel)).join("")}</tbody>` +
        (tb.totals ? `<tfoot>${row(tb.totals)}</tfoot>` : "") + `</table>`;
      s.querySelectorAll("td button").forEach(b => b.onclick = () => onDrill({ level: b.dataset.level, code: b.dataset.code, name: b.dataset.name }));
      box.append(s);
    }
    const notes = document.createElement("p"); notes.className = "notes"; notes.textContent = (report.notes || []).join(" · "); box.append(notes);
  }

  route({
    name: "reports", zh: "报表", en: "Reports", roles: [...BUREAU, ...SCHOOL],
    async render(el) {
      if (!view.trail) { const h = home(); if (!h) { el.textContent = t("没有可用的辖区或学校。", "No district or school."); return; } view.trail = [h]; }
      el.innerHTML = `<h2>${t("报表", "Reports")}</h2>
        <div class="bar" role="tablist">${[["screening", "筛查", "Screening"], ["referrals", "转介", "Referrals"], ["hotline", "热线", "Hotline"], ["activities", "规定活动", "Activities"]]
          .filter(([k]) => k !== "hotline" || has(...BUREAU))
          .map(([k, zh, en]) => `<button role="tab" class="${k === view.kind ? "" : "plain"}" aria-selected="${k === view.kind}" data-kind="${k}">${t(zh, en)}</button>`).join("")}</div>
        <div class="bar"><span class="crumbs" id="crumbs"></span>
          <label class="inline" id="campaign-box">${t("筛查活动", "Campaign")} <select id="campaign"></select></label>
          <span>${t("导出", "Export")}: <a id="csv">CSV</a> · <a id="xlsx">Excel</a> · <a id="pdf">PDF</a></span></div>
        <div id="tables"></div>`;
      el.querySelectorAll("[data-kind]").forEach(b => b.onclick = () => { view.kind = b.dataset.kind; X.route.refresh(); });
      const where = view.trail[view.trail.length - 1];
      const crumbs = el.querySelector("#crumbs");
      view.trail.forEach((w, i) => {
        const b = document.createElement("button"); b.textContent = w.name || w.code;
        b.onclick = () => { view.trail = view.trail.slice(0, i + 1); X.route.refresh(); };
        crumbs.append(b, i < view.trail.length - 1 ? " › " : "");
      });
      el.querySelector("#campaign-box").hidden = view.kind !== "screening";
      let query = `level=${where.level}&code=${encodeURIComponent(where.code)}`;
      if (view.kind === "screening") {
        const list = await campaigns(where);
        const select = el.querySelector("#campaign");
        select.innerHTML = list.map(c => `<option value="${c.id}">${esc(c.name)}</option>`).join("");
        if (!list.length) { el.querySelector("#tables").textContent = t("暂无筛查活动", "No campaign yet"); return; }
        if (!list.some(c => c.id === view.campaign)) view.campaign = list[0].id;
        select.value = view.campaign;
        select.onchange = () => { view.campaign = select.value; X.route.refresh(); };
        query += "&campaignId=" + view.campaign;
      }
      const report = await api("reporting", `reports/${view.kind}?${query}`);
      where.name = report.name;
      const last = crumbs.querySelectorAll("button"); last[last.length - 1].textContent = report.name;
      for (const f of ["csv", "xlsx", "pdf"]) el.querySelector("#" + f).href = `/bff/api/reporting/reports/${view.kind}/export?format=${f}&${query}`;
      renderTables(el.querySelector("#tables"), report, w => { view.trail.push(w); X.route.refresh(); });
    },
  });

  // ---- the bureau's dashboard -----------------------------------------------------------------------------------
  let echartsLoading;
  function loadECharts() {
    echartsLoading ??= new Promise((resolve, reject) => {
      const s = document.createElement("script"); s.src = "/webjars/echarts/5.3.1/dist/echarts.min.js";
      s.onload = () => resolve(window.echarts); s.onerror = () => reject(new Error(t("图表库加载失败", "Charts failed to load")));
      document.head.append(s);
    });
    return echartsLoading;
  }
  const dash = { trail: null };
  const value = c => c && !c.suppressed && c.value != null ? Number(c.value) : null;
  const colIndex = (tb, ...ids) => tb.columns.findIndex(c => ids.includes(c.id));
  const table = (report, id) => report.tables.find(x => x.id === id) || report.tables[0];

  /** A category axis that shows every area (ECharts drops labels it thinks would overlap): long names wrap, many slant. */
  const categories = names => ({ type: "category", data: names, axisLabel: { interval: 0, lineHeight: 15, rotate: names.length > 6 ? 30 : 0,
    formatter: v => names.length > 6 || v.length <= 7 ? v : v.match(/.{1,7}/gu).join("\n") } });

  function chart(el, echarts, option) {
    const c = echarts.init(el, null, { renderer: "svg" });
    const empty = (option.series || []).every(s => s.data.every(v => v == null || v === 0));
    if (empty) option.title = { text: t("暂无数据", "No data yet"), left: "center", top: "middle", textStyle: { color: "#94a3b8", fontSize: 14, fontWeight: "normal" } };
    // a legend at the top takes one or two lines, and an axis name sits above the axis: room for both
    const top = option.legend ? (option.yAxis && option.yAxis.name ? 84 : 60) : 36;
    c.setOption(Object.assign({ animation: false, tooltip: { trigger: "axis" }, grid: { left: 48, right: 40, top, bottom: 48, containLabel: true } }, option));
    window.addEventListener("resize", () => c.resize());
    return c;
  }

  route({
    name: "dashboard", zh: "数据看板", en: "Dashboard", roles: BUREAU, landing: true,
    async render(el) {
      if (!dash.trail) { const h = home(); if (!h) { el.textContent = t("没有辖区。", "No district."); return; } dash.trail = [h]; }
      const where = dash.trail[dash.trail.length - 1];
      const q = `level=${where.level}&code=${encodeURIComponent(where.code)}`;
      const [echarts, list, referrals, hotline, activities] = await Promise.all([loadECharts(), campaigns(where),
        api("reporting", "reports/referrals?" + q), where.level === "school" ? null : api("reporting", "reports/hotline?" + q), api("reporting", "reports/activities?" + q)]);
      const screening = list.length ? await api("reporting", `reports/screening?${q}&campaignId=${list[0].id}`) : null;
      el.innerHTML = `<h2>${t("数据看板", "Dashboard")} · <span class="crumbs" id="dcrumbs"></span></h2>
        <p class="muted">${screening ? esc(list[0].name) + " · " : ""}${t("点击柱形下钻：市 → 区县 → 学校；少于 5 人的格子不显示（<5）。", "Click a bar to drill down city → county → school; cells under 5 are not shown (<5).")}</p>
        <div class="grid">
          <section class="card"><h3>${t("筛查覆盖率", "Screening coverage")}</h3><div class="chart" id="c-coverage" role="img" aria-label="${t("覆盖率柱状图", "Coverage bars")}"></div></section>
          <section class="card"><h3>${t("风险分布", "Risk distribution")}</h3><div class="chart" id="c-risk" role="img" aria-label="${t("风险分布", "Risk distribution")}"></div></section>
          <section class="card"><h3>${t("转介时效（小时）", "Referral timeliness (hours)")}</h3><div class="chart" id="c-referral" role="img" aria-label="${t("转介时效", "Referral timeliness")}"></div></section>
          <section class="card"><h3>${t("热线来电（按小时）", "Hotline calls by hour")}</h3><div class="chart" id="c-hotline" role="img" aria-label="${t("热线来电", "Hotline calls")}"></div></section>
          <section class="card"><h3>${t("规定活动达标与排名", "Mandated activities: compliance and ranking")}</h3><div class="chart" id="c-activities" role="img" aria-label="${t("活动达标", "Activity compliance")}"></div></section>
          <section class="card"><h3>${t("需关注的转介", "Referrals needing attention")}</h3><div id="alerts" class="muted">…</div></section>
        </div>`;
      const crumbs = el.querySelector("#dcrumbs");
      dash.trail.forEach((w, i) => {
        const b = document.createElement("button"); b.className = "link"; b.textContent = w.name || w.code;
        b.onclick = () => { dash.trail = dash.trail.slice(0, i + 1); X.route.refresh(); };
        crumbs.append(b, i < dash.trail.length - 1 ? " › " : "");
      });
      const drill = tb => params => {
        const r = tb.rows[params.dataIndex];
        if (tb.drillLevel && r && r.code) { dash.trail.push({ level: tb.drillLevel, code: r.code, name: r.name }); X.route.refresh(); }
      };

      if (screening) {
        where.name = screening.name; crumbs.querySelector("button:last-of-type").textContent = screening.name;
        const cov = table(screening, "coverage");
        const ci = colIndex(cov, "coverage");
        chart(el.querySelector("#c-coverage"), echarts, {
          xAxis: categories(cov.rows.map(r => r.name)),
          yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
          series: [{ type: "bar", name: t("覆盖率", "Coverage"), data: cov.rows.map(r => { const v = value(r.cells[ci]); return v == null ? null : +v.toFixed(1); }),
            label: { show: true, position: "top", formatter: p => p.value == null ? "<5" : p.value + "%" }, itemStyle: { color: "#0d9488" } }],
        }).on("click", drill(cov));
        const risk = screening.tables.find(x => x.id === "risk") || cov;
        const levels = risk.columns.map((c, i) => ({ c, i })).filter(({ c }) => /^(NONE|LOW|MODERATE|HIGH|CRITICAL)$/.test(c.id));
        const colours = { NONE: "#94a3b8", LOW: "#5eead4", MODERATE: "#f59e0b", HIGH: "#dc2626", CRITICAL: "#7f1d1d" };
        chart(el.querySelector("#c-risk"), echarts, {
          legend: { top: 0 }, xAxis: categories(risk.rows.map(r => r.name)), yAxis: { type: "value" },
          series: levels.map(({ c, i }) => ({ type: "bar", stack: "risk", name: X.riskLabel(c.id), itemStyle: { color: colours[c.id] }, data: risk.rows.map(r => value(r.cells[i])) })),
        }).on("click", drill(risk));
      } else {
        el.querySelector("#c-coverage").textContent = el.querySelector("#c-risk").textContent = t("暂无筛查活动", "No campaign yet");
      }

      const ref = table(referrals, "by-area");
      chart(el.querySelector("#c-referral"), echarts, {
        legend: { top: 0 }, xAxis: categories(ref.rows.map(r => r.name)), yAxis: { type: "value", name: t("小时", "hours") },
        series: ["acceptP50", "acceptP90", "visitP50", "visitP90"].map(id => colIndex(ref, id)).filter(i => i >= 0).map(i => ({ type: "bar", name: X.lang === "en" ? ref.columns[i].labelEn : ref.columns[i].label, data: ref.rows.map(r => value(r.cells[i])) })),
      }).on("click", drill(ref));

      if (hotline) {
        const hours = table(hotline, "by-hour");
        chart(el.querySelector("#c-hotline"), echarts, {
          xAxis: { type: "category", data: hours.rows.map(r => r.name) }, yAxis: { type: "value" },
          series: [{ type: "bar", name: t("来电", "Calls"), data: hours.rows.map(r => value(r.cells[colIndex(hours, "total")])), itemStyle: { color: "#0369a1" } }],
        });
      } else el.querySelector("#c-hotline").textContent = t("热线按区县统计，学校层级不显示。", "Hotline figures are kept by county.");

      // the city sees the counties ranked (laggards first, for the circular); a county sees its schools' counts
      const rank = activities.tables.find(x => x.id === "county-ranking");
      const schools = table(activities, "schools");
      const shown = rank || schools;
      const cols = rank ? ["rate"] : ["lectures", "groups"];
      chart(el.querySelector("#c-activities"), echarts, {
        legend: { top: 0 }, xAxis: { type: "value" }, yAxis: { type: "category", inverse: true, data: shown.rows.map(r => r.name) },
        series: cols.map(id => colIndex(shown, id)).filter(i => i >= 0).map(i => ({ type: "bar", name: X.lang === "en" ? shown.columns[i].labelEn : shown.columns[i].label,
          data: shown.rows.map(r => value(r.cells[i])), label: { show: true, position: "right", formatter: p => p.value == null ? "" : +Number(p.value).toFixed(1) } })),
      }).on("click", drill(shown));

      const alerts = where.level === "school" ? [] : await api("referral", "referrals/alerts?districtCode=" + where.code).catch(() => []);
      el.querySelector("#alerts").innerHTML = alerts.length ? `<table><thead><tr><th>${t("风险", "Risk")}</th><th>${t("学校", "School")}</th><th>${t("医院", "Hospital")}</th><th>${t("情况", "Issue")}</th><th>${t("自", "Since")}</th></tr></thead><tbody>${
        alerts.map(a => `<tr><td>${X.fmt.risk(a.riskLevel)}</td><td>${esc(a.schoolId)}</td><td>${esc(a.hospitalId || "—")}</td><td>${esc(a.escalation || a.status)}</td><td>${X.fmt.time(a.since)}</td></tr>`).join("")}</tbody></table>`
        : t("没有超时或升级的转介。", "No overdue or escalated referral.");
    },
  });
})();
