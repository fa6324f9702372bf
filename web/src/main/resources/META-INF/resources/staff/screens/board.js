// The supervisor's live board: open emergency escalations to close, calls in progress, who is on duty, gaps ahead.
import { html, render } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, every, fail } from "../shell.js";
import * as fmt from "../format.js";
import { RESOLUTIONS, missing, supervisorMark } from "./hotline-common.js";

route({
  name: "board", title: "值班看板", roles: ["hotline-supervisor"],
  async render(el) {
    const draw = async () => {
      const b = await api("hotline", "board");
      const close = (e, x) => {
        e.preventDefault();
        const f = e.target;
        act(f.querySelector("button"), async () => {
          await api("hotline", `escalations/${x.id}/close`, { method: "POST", body: { resolution: f.resolution.value, note: f.note.value } });
          await draw();
        });
      };
      render(html`<h2>${t("值班看板")} <span class="muted">${t("每 5 秒刷新")}</span></h2><div class="grid">
        <section class="card"><h3>${t("紧急升级（待处理）")}</h3>${b.openEscalations.length ? b.openEscalations.map(x => html`<form class="card" @submit=${e => close(e, x)}>
          ${fmt.risk(x.riskLevel)} ${t("开启于")} ${fmt.time(x.openedAt)} · <a href="#/call/${x.callId}">${t("来电记录@link")}</a>
          <label>${t("处理结果")} <select name="resolution">${fmt.options(RESOLUTIONS)}</select></label>
          <label style="display:flex">${t("说明")} <textarea name="note" required maxlength="4000"></textarea></label><button>${t("关闭升级")}</button></form>`)
          : html`<p class="muted">${t("没有待处理的紧急升级。")}</p>`}</section>
        <section class="card"><h3>${t("进行中的来电")}</h3><table><tbody>${b.callsInProgress.length ? b.callsInProgress.map(c => html`<tr>
          <td><a href="#/call/${c.id}">${fmt.time(c.startedAt)}</a></td><td>${c.operator}</td><td>${fmt.risk(c.riskLevel)}</td></tr>`)
          : html`<tr><td class="muted">${t("无")}</td></tr>`}</tbody></table></section>
        <section class="card"><h3>${t("当前在岗")}</h3>${b.onDuty.length ? b.onDuty.map(s => html`<p>${fmt.time(s.startsAt)}–${fmt.time(s.endsAt)}:
          ${s.members.map(m => m.displayName + supervisorMark(m)).join("、")}</p>`) : html`<p class="overdue">${t("当前无人值班！")}</p>`}</section>
        <section class="card"><h3>${t("未来 24 小时排班缺口")}</h3>${b.gapsNext24h.length ? b.gapsNext24h.map(g => html`<p class="overdue">${fmt.time(g.from)}–${fmt.time(g.to)}
          · ${missing(g.missing)}</p>`) : html`<p class="muted">${t("无缺口。")}</p>`}</section></div>`, el);
    };
    await draw();
    // a form being filled in is not redrawn under the supervisor's hands
    every(5000, () => { if (!el.contains(document.activeElement) || document.activeElement === document.body) draw().catch(fail); }, el);
  },
});
