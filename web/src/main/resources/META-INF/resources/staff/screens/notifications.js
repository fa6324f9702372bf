// 提醒: my notifications (acknowledge them here or from the link in the message) and, for those who manage the
// organisation, its delivery log: every alert, who was told at each step of the ladder, every attempt on every channel.
import { html, render, nothing } from "../lit.js";
import { t, tf } from "../i18n.js";
import { api, act, route, refresh, go, has } from "../shell.js";
import * as fmt from "../format.js";
import { NOTIFIED, MANAGERS, ownOrg, severityBadge, rung, deliveryStatus, channel } from "./notify-common.js";
import { reloadBell } from "./bell.js";

const FILTERS = [["open", "未确认"], ["acked", "已确认"], ["failed", "发送失败"], ["all", "全部"]];

route({
  name: "notifications", title: "提醒", roles: NOTIFIED,
  async render(el, status = "open") {
    const mine = await api("notification", "notifications/mine?open=false");
    const log = has(...MANAGERS) ? await api("notification", `notifications?orgId=${encodeURIComponent(ownOrg())}&status=${encodeURIComponent(status)}`) : null;
    const ack = (n, button) => act(button, async () => {
      await api("notification", `notifications/${n.id}/ack`, { method: "POST" });
      await reloadBell();
      refresh();
    });
    render(html`<h2>${t("提醒")} <span class="muted">${t("需要你处理的事项；提醒中不含学生信息")}</span></h2>
      <section class="card"><h3>${t("我的提醒")}</h3><table><thead><tr><th>${t("时间")}</th><th>${t("紧急程度")}</th><th>${t("内容")}</th><th>${t("状态")}</th></tr></thead>
        <tbody id="mine">${mine.length ? mine.map(n => html`<tr><td>${fmt.time(n.createdAt)}</td><td>${severityBadge(n.severity)}</td>
          <td><a href=${n.link}>${n.title}</a><div class="muted">${rung(n.rung)} · ${tf("第 {n} 步", { n: n.step + 1 })}</div></td>
          <td>${n.alertAckedAt ? html`${t("已确认")} <span class="muted">${n.alertAckedBy} ${fmt.time(n.alertAckedAt)}</span>`
            : html`<button type="button" @click=${e => ack(n, e.target)}>${t("确认收到")}</button>`}</td></tr>`)
          : html`<tr><td colspan="4">${t("暂无")}</td></tr>`}</tbody></table></section>
      ${log ? html`<section class="card"><h3>${t("发送记录")} <span class="muted">${ownOrg()}</span></h3>
        <div class="bar" role="tablist">${FILTERS.map(([k, key]) => html`<button role="tab" class=${k === status ? "" : "plain"} aria-selected=${String(k === status)}
          @click=${() => go("notifications", k)}>${t(key)}</button>`)}</div>
        <table><thead><tr><th>${t("时间")}</th><th>${t("提醒")}</th><th>${t("通知到的人")}</th></tr></thead><tbody id="log">
        ${log.length ? log.map(a => html`<tr><td>${fmt.time(a.createdAt)}<div>${severityBadge(a.severity)}</div></td>
          <td>${a.title}<div class="muted">${a.ackedAt ? tf("{who} 已于 {when} 确认", { who: a.ackedBy, when: fmt.time(a.ackedAt) })
            : a.nextStepAt ? tf("未确认 · {when} 升级到下一位", { when: fmt.time(a.nextStepAt) }) : t("未确认")}</div></td>
          <td><ol class="history">${a.told.map(p => html`<li>${rung(p.rung)} ${p.recipient} <span class="muted">${fmt.time(p.createdAt)}</span>
            ${p.deliveries.map(d => html`<div class="muted">${channel(d.channel)} #${d.attempt}: ${deliveryStatus(d.status)} ${d.code || ""}</div>`)}</li>`)}</ol>
            ${a.told.length ? nothing : html`<span class="overdue">${t("无人值班：请设置值班安排")}</span>`}</td></tr>`)
          : html`<tr><td colspan="3">${t("暂无")}</td></tr>`}</tbody></table></section>` : nothing}`, el);
  },
});

// The link in an e-mail, SMS or WeCom message: opening it acknowledges the notification, then shows what it is about.
route({
  name: "ack", title: "确认提醒", roles: NOTIFIED, menu: false, parent: "notifications",
  async render(el, id) {
    const n = await api("notification", `notifications/${encodeURIComponent(id)}/ack`, { method: "POST" });
    await reloadBell();
    render(html`<h2>${t("确认提醒")}</h2><p class="ok" id="acked">${t("已确认收到。")} ${n.title}</p>
      <p><a href=${n.link}>${t("去处理")}</a></p>`, el);
  },
});
