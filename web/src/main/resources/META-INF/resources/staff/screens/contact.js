// 联系方式: how the person wants to be reached outside the platform (in order), and quiet hours for what is not
// critical. Only they see or change it; it never travels on a topic.
import { html, render } from "../lit.js";
import { t, tf } from "../i18n.js";
import { api, act, route } from "../shell.js";
import { NOTIFIED, CHANNELS } from "./notify-common.js";

route({
  name: "contact", title: "联系方式", roles: NOTIFIED,
  async render(el) {
    const p = await api("notification", "me/contact-preferences");
    const save = e => {
      e.preventDefault();
      const f = e.target;
      const channels = [f.first.value, f.second.value, f.third.value].filter((c, i, all) => c && all.indexOf(c) === i);
      act(f.querySelector("button"), async () => {
        await api("notification", "me/contact-preferences", { method: "PUT", body: { email: f.email.value.trim() || null,
          mobile: f.mobile.value.trim() || null, channels, quietFrom: f.quietFrom.value || null, quietTo: f.quietTo.value || null } });
        render(html`<p class="ok" id="saved">${t("已保存。")}</p>`, f.querySelector(".saved"));
      });
    };
    const pick = (name, i) => html`<select name=${name} aria-label=${tf("第 {n} 种方式", { n: i + 1 })}><option value="">—</option>
      ${CHANNELS.map(([v, key]) => html`<option value=${v} ?selected=${p.channels[i] === v}>${t(key)}</option>`)}</select>`;
    render(html`<h2>${t("联系方式")} <span class="muted">${t("站内提醒总会送达；以下是站外方式")}</span></h2>
      <form class="card" id="contact" @submit=${save}>
        <label>${t("电子邮件")} <input type="email" name="email" .value=${p.email || ""} maxlength="200"></label>
        <label>${t("手机号")} <input name="mobile" .value=${p.mobile || ""} pattern="1[3-9][0-9]{9}" inputmode="numeric" placeholder=${t("短信、企业微信 @ 提醒用")}></label>
        <fieldset><legend>${t("依次尝试的方式")}</legend>${pick("first", 0)} ${pick("second", 1)} ${pick("third", 2)}</fieldset>
        <fieldset><legend>${t("免打扰时段（危急提醒除外）")}</legend><input type="time" name="quietFrom" .value=${p.quietFrom || ""} aria-label=${t("开始@starts")}>
          – <input type="time" name="quietTo" .value=${p.quietTo || ""} aria-label=${t("结束@ends")}></fieldset>
        <button>${t("保存")}</button><div class="saved"></div></form>`, el);
  },
});
