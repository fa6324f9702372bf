// The hotline's calls: the operator's own (or a shift's), a supervisor's whole hotline.
import { html, render } from "../lit.js";
import { t } from "../i18n.js";
import { api, route, go } from "../shell.js";
import * as fmt from "../format.js";
import { HOTLINE } from "./hotline-common.js";

route({
  name: "calls", title: "来电记录@calls", roles: HOTLINE,
  async render(el) {
    const [list, callbacks] = await Promise.all([api("hotline", "calls?limit=200"), api("hotline", "calls/follow-ups")]);
    const now = Date.now();
    const open = (e, c) => { if (e.type === "click" || e.key === "Enter") go("call", c.id); };
    render(html`<h2>${t("来电记录@calls")}</h2>
      <section class="card"><h3>${t("待回访（24 小时内及已超时）")}</h3>${callbacks.length ? html`<table id="callbacks"><tbody>${callbacks.map(c => html`<tr
          class="pick" tabindex="0" @click=${e => open(e, c)} @keydown=${e => open(e, c)}>
        <td class=${new Date(c.followUpAt) < now ? "overdue" : ""}>${new Date(c.followUpAt) < now ? t("已超时") : t("截止")} ${fmt.time(c.followUpAt)}</td>
        <td>${fmt.risk(c.riskLevel)}</td><td>${(c.categories || []).join(", ")}</td><td>${c.operator}</td></tr>`)}</tbody></table>`
        : html`<p class="muted">${t("没有待回访的来电。")}</p>`}</section>
      <section class="card"><table><thead><tr><th>${t("开始@started")}</th><th>${t("时长")}</th><th>${t("渠道")}</th>
      <th>${t("类别")}</th><th>${t("风险")}</th><th>${t("重复来电")}</th><th>${t("接线员")}</th><th>${t("状态")}</th></tr></thead>
      <tbody>${list.length ? list.map(c => html`<tr class="pick" tabindex="0" @click=${e => open(e, c)} @keydown=${e => open(e, c)}>
        <td>${fmt.time(c.startedAt)}</td><td>${c.durationSeconds != null ? fmt.duration(c.durationSeconds) : "…"}</td><td>${c.channel}</td>
        <td>${(c.categories || []).join(", ")}</td><td>${fmt.risk(c.riskLevel)}</td><td>${c.repeatCaller ? "✓" : ""}</td><td>${c.operator}</td>
        <td>${c.status === "OPEN" ? t("进行中") : t("已结束")}</td></tr>`)
        : html`<tr><td colspan="8">${t("暂无")}</td></tr>`}</tbody></table></section>`, el);
  },
});
