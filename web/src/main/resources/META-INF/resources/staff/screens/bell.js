// The bell on every staff screen: the person's open notifications, live. The BFF relays notification-service's
// Server-Sent Events; a CRITICAL one rings (a short tone) and is announced; EventSource reconnects by itself and the
// list is read again whenever it (re)connects, so nothing sent meanwhile is missed.
import { html, render, nothing } from "../lit.js";
import { t, tf } from "../i18n.js";
import { api, act, has, user } from "../shell.js";
import * as fmt from "../format.js";
import { NOTIFIED, severityBadge } from "./notify-common.js";

const state = { open: [], shown: false };
const BELL = html`<svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z"/></svg>`;
const $ = id => document.getElementById(id);

function ring() {
  try {
    const audio = new AudioContext();
    [0, 0.35].forEach(at => {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, audio.currentTime + at);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + at + 0.3);
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + at);
      tone.stop(audio.currentTime + at + 0.3);
    });
  } catch (e) { /* no sound before the page was touched: the badge and the announcement still show it */ }
}

async function reload() {
  state.open = await api("notification", "notifications/mine?open=true");
  draw();
}

async function ack(n, button) {
  await act(button, async () => {
    await api("notification", `notifications/${n.id}/ack`, { method: "POST" });
    await reload();
  });
}

function draw() {
  const count = state.open.length;
  const critical = state.open.some(n => n.severity === "CRITICAL");
  render(html`<button type="button" class=${"bell" + (critical ? " critical" : "")} aria-expanded=${String(state.shown)}
      aria-label=${tf("提醒 {n} 条未确认", { n: count })} @click=${() => { state.shown = !state.shown; draw(); }}>${BELL}
      ${count ? html`<span class="badge count" id="bell-count">${count}</span>` : nothing}</button>
    <div class="bell-panel" ?hidden=${!state.shown} role="dialog" aria-label=${t("提醒")}>
      <h3>${t("未确认的提醒")}</h3>
      ${count ? html`<ul>${state.open.map(n => html`<li class=${"severity-" + n.severity}>
          ${severityBadge(n.severity)} ${n.title}
          <div class="muted">${fmt.time(n.createdAt)}</div>
          <div class="bar"><a href=${n.link} @click=${() => { state.shown = false; draw(); }}>${t("查看")}</a>
            <button type="button" @click=${e => ack(n, e.target)}>${t("确认收到")}</button></div></li>`)}</ul>`
        : html`<p class="muted">${t("没有未确认的提醒。")}</p>`}
      <a href="#/notifications" @click=${() => { state.shown = false; draw(); }}>${t("全部提醒与发送记录")}</a>
    </div>`, $("bell"));
}

export function startBell() {
  if (!user() || !has(...NOTIFIED)) return;
  draw();
  window.addEventListener("hashchange", () => { if (state.shown) { state.shown = false; draw(); } });
  const source = new EventSource("/bff/api/notification/notifications/stream");
  source.onopen = () => reload().catch(() => {});
  source.addEventListener("notification", e => {
    const n = JSON.parse(e.data);
    if (!state.open.some(x => x.id === n.id)) state.open.unshift(n);
    draw();
    $("announce").textContent = n.title;
    window.dispatchEvent(new CustomEvent("xq-notification", { detail: n })); // an open screen (the inbox) may show it at once
    if (n.severity === "CRITICAL") ring();
  });
}

export { reload as reloadBell };
