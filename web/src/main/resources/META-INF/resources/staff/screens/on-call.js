// 值班安排: the organisation's on-call list in order (who is told first at 2 a.m.), each with days and hours, the
// lead who is told next, and the WeCom group robot. Managers edit it; the organisation's staff see it.
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, refresh, has } from "../shell.js";
import * as fmt from "../format.js";
import { NOTIFIED, MANAGERS, ownOrg, DAYS } from "./notify-common.js";

route({
  name: "on-call", title: "值班安排", roles: NOTIFIED,
  async render(el) {
    const org = ownOrg();
    const rota = await api("notification", `on-call/${encodeURIComponent(org)}`);
    const rows = rota.contacts.map(c => ({ ...c }));
    const manage = has(...MANAGERS);
    const save = e => {
      e.preventDefault();
      const f = e.target;
      const contacts = [...f.querySelectorAll("tr.contact")].map(tr => ({
        username: tr.querySelector("[name=username]").value.trim(),
        days: [...tr.querySelectorAll("[name=day]:checked")].map(x => x.value).join("") || "1234567",
        from: tr.querySelector("[name=from]").value || null, to: tr.querySelector("[name=to]").value || null,
      })).filter(c => c.username);
      const body = { contacts, lead: f.lead.value.trim() || null };
      if (f.robot.value) body.wecomRobotKey = f.robot.value.trim() === "-" ? "" : f.robot.value.trim();
      act(f.querySelector("button[type=submit]"), async () => { await api("notification", `on-call/${encodeURIComponent(org)}`, { method: "PUT", body }); refresh(); });
    };
    const row = (c, i) => html`<tr class="contact"><td>${i + 1}</td>
      <td><input name="username" .value=${c.username || ""} ?disabled=${!manage} aria-label=${t("账号")} maxlength="100"></td>
      <td>${DAYS.map(([d, label]) => html`<label class="inline"><input type="checkbox" name="day" value=${d} ?disabled=${!manage}
        .checked=${(c.days || "1234567").includes(d)}>${t(label)}</label>`)}</td>
      <td><input type="time" name="from" .value=${c.from && c.from !== "00:00" ? c.from : ""} ?disabled=${!manage} aria-label=${t("开始@starts")}>
        – <input type="time" name="to" .value=${c.to && c.to !== "00:00" ? c.to : ""} ?disabled=${!manage} aria-label=${t("结束@ends")}></td>
      <td>${c.onCallNow ? html`<span class="badge status">${t("正在值班")}</span>` : nothing}</td></tr>`;
    const draw = () => render(html`<h2>${t("值班安排")} <span class="muted">${org}</span></h2>
      <p class="muted">${t("危急事项先通知第 1 位正在值班的人；若在规定时间内无人确认，依次通知下一位、负责人、教育局值班人员。时段留空表示全天。")}</p>
      <form class="card" id="rota" @submit=${save}><table><thead><tr><th>#</th><th>${t("账号")}</th><th>${t("星期")}</th><th>${t("时段")}</th><th></th></tr></thead>
        <tbody>${rows.map(row)}</tbody></table>
        ${manage ? html`<p><button type="button" class="plain" @click=${() => { rows.push({ username: "", days: "1234567" }); draw(); }}>${t("添加一位")}</button></p>` : nothing}
        <label>${t("负责人（值班人员之后通知）")} <input name="lead" .value=${rota.lead || ""} ?disabled=${!manage} maxlength="100"></label>
        <label>${t("企业微信群机器人 key")} <input name="robot" placeholder=${rota.wecomRobot ? t("已设置（留空保持不变，填 - 删除）") : t("未设置")} ?disabled=${!manage} maxlength="100"></label>
        ${manage ? html`<button type="submit">${t("保存")}</button>` : nothing}
        ${rota.updatedAt ? html`<p class="muted">${rota.updatedBy} · ${fmt.time(rota.updatedAt)}</p>` : nothing}</form>`, el);
    if (!rows.length && manage) rows.push({ username: "", days: "1234567" });
    draw();
  },
});
