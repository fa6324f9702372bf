// The hotline's calls: the operator's own (or a shift's), a supervisor's whole hotline.
import { html, render } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, go, refresh } from "../shell.js";
import * as fmt from "../format.js";
import { HOTLINE } from "./hotline-common.js";

const CALLBACK_OUTCOMES = [["REACHED", "已联系上"], ["NO_ANSWER", "无人接听"], ["DECLINED", "对方拒绝"]];

route({
  name: "calls", title: "来电记录@calls", roles: HOTLINE,
  async render(el) {
    const [list, callbacks] = await Promise.all([api("hotline", "calls?limit=200"), api("hotline", "calls/follow-ups")]);
    const now = Date.now();
    const open = (e, c) => { if (e.type === "click" || e.key === "Enter") go("call", c.id); };
    const made = (e, c) => {
      e.preventDefault();
      const f = e.target;
      act(f.querySelector("button"), async () => {
        await api("hotline", `calls/${c.id}/callback`, { method: "POST", body: { outcome: f.outcome.value, note: f.note.value || null } });
        refresh();
      });
    };
    render(html`<h2>${t("来电记录@calls")}</h2>
      <section class="card"><h3>${t("待回访（24 小时内及已超时）")}</h3>${callbacks.length ? html`<table id="callbacks"><tbody>${callbacks.map(c => html`<tr
          class="pick" tabindex="0" @click=${e => open(e, c)} @keydown=${e => open(e, c)}>
        <td class=${new Date(c.followUpAt) < now ? "overdue" : ""}>${new Date(c.followUpAt) < now ? t("已超时") : t("截止")} ${fmt.time(c.followUpAt)}</td>
        <td>${fmt.risk(c.riskLevel)}</td><td>${(c.categories || []).join(", ")}</td><td>${c.operator}</td>
        <td @click=${e => e.stopPropagation()} @keydown=${e => e.stopPropagation()}><form class="inline" @submit=${e => made(e, c)}>
          <select name="outcome" aria-label=${t("回访结果")}>${fmt.options(CALLBACK_OUTCOMES)}</select>
          <input name="note" maxlength="2000" placeholder=${t("备注（仅热线可见）")}> <button>${t("已回访@action")}</button></form></td></tr>`)}</tbody></table>`
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
