// The hotline's roster for the next 7 days: shifts with their staff, handover notes, gaps; supervisors add shifts.
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, refresh, has } from "../shell.js";
import * as fmt from "../format.js";
import { HOTLINE, missing, supervisorMark } from "./hotline-common.js";

route({
  name: "shifts", title: "排班", roles: HOTLINE,
  async render(el) {
    const from = new Date(); from.setHours(0, 0, 0, 0);
    const to = new Date(from.getTime() + 7 * 864e5);
    const roster = await api("hotline", `shifts?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
    const staff = new Map();
    roster.shifts.forEach(s => s.members.forEach(m => staff.set(m.subject, m)));
    let handoverFor = null;
    const addShift = e => {
      e.preventDefault();
      const f = e.target;
      const members = [...f.querySelectorAll("[name=member]:checked")].map(x => { const m = staff.get(x.value); return { subject: m.subject, displayName: m.displayName, role: m.role }; });
      act(f.querySelector("button"), async () => {
        await api("hotline", "shifts", { method: "POST", body: { startsAt: fmt.isoLocal(f.startsAt.value), endsAt: fmt.isoLocal(f.endsAt.value), members } });
        refresh();
      });
    };
    const handover = e => {
      e.preventDefault();
      const f = e.target;
      act(f.querySelector("button"), async () => { await api("hotline", `shifts/${handoverFor}/handover`, { method: "POST", body: { note: f.note.value } }); refresh(); });
    };
    const draw = () => render(html`<h2>${t("排班表（7 天）")}</h2><div class="cols"><section class="card"><table><thead><tr><th>${t("开始@starts")}</th>
        <th>${t("结束@ends")}</th><th>${t("人员")}</th><th>${t("交接")}</th></tr></thead>
      <tbody>${roster.shifts.map(s => html`<tr><td>${fmt.time(s.startsAt)}</td><td>${fmt.time(s.endsAt)}</td>
        <td>${s.members.map(m => m.displayName + (m.role === "SUPERVISOR" ? "★" : "")).join("、")}</td>
        <td>${s.handovers.map(h => html`<div class="muted">${h.author}: ${h.note}</div>`)}
          <button class="link" @click=${() => { handoverFor = s.id; draw(); el.querySelector("#handover textarea").focus(); }}>${t("写交接")}</button></td></tr>`)}</tbody></table>
      <h3>${t("缺口")}</h3>${roster.gaps.length ? roster.gaps.map(g => html`<p class="overdue">${fmt.time(g.from)}–${fmt.time(g.to)} · ${missing(g.missing)}</p>`)
        : html`<p class="muted">${t("无缺口。")}</p>`}</section>
      <section class="card">${has("hotline-supervisor") ? html`<h3>${t("新增班次")}</h3><form id="shift" @submit=${addShift}>
        <label>${t("开始@starts")} <input type="datetime-local" name="startsAt" required></label><label>${t("结束@ends")} <input type="datetime-local" name="endsAt" required></label>
        <fieldset><legend>${t("人员")}</legend>${[...staff.values()].map(m => html`<label class="inline"><input type="checkbox" name="member" value=${m.subject}>
          ${m.displayName} ${supervisorMark(m)}</label>`)}</fieldset>
        <button>${t("保存班次")}</button></form>` : nothing}
        <form id="handover" ?hidden=${!handoverFor} @submit=${handover}><h3>${t("交接记录")}</h3><textarea name="note" required maxlength="4000"></textarea>
          <button>${t("保存")}</button></form></section></div>`, el);
    draw();
  },
});
