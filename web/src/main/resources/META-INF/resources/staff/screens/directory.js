// The directory (platform admin; the bureau for its area): schools — create, rename, close, open again — and the
// partner hospitals with the green-channel partnerships (a county's hospital and its backup).
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, refresh, has } from "../shell.js";
import * as fmt from "../format.js";

const STAGES = [["PRIMARY", "小学"], ["JUNIOR", "初中"], ["SENIOR", "高中"], ["COMPLETE", "完全中学 / 九年一贯制"]];
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

route({
  name: "directory", title: "学校与医院目录", roles: ["platform-admin", "bureau-analyst"], landing: ["platform-admin"],
  async render(el) {
    const admin = has("platform-admin");
    const [schools, hospitals, partnerships] = await Promise.all([api("screening", "schools"), api("referral", "hospitals"),
      api("referral", "partnerships")]);
    const names = new Map(hospitals.map(h => [h.id, h.name]));
    const save = (e, s, closedOn) => act(e.target, async () => {
      await api("screening", `schools/${s.id}`, { method: "PUT", body: { name: s.name, districtCode: s.districtCode, stage: s.stage, closedOn } });
      refresh();
    });
    const rename = (e, s) => {
      e.preventDefault();
      act(e.target.querySelector("button"), async () => {
        await api("screening", `schools/${s.id}`, { method: "PUT", body: { name: e.target.name.value, districtCode: s.districtCode, stage: s.stage, closedOn: s.closedOn } });
        refresh();
      });
    };
    const create = e => {
      e.preventDefault();
      const f = e.target;
      act(f.querySelector("button"), async () => {
        await api("screening", `schools/${f.id.value.trim()}`, { method: "PUT", body: { name: f.name.value, districtCode: f.id.value.trim().slice(1, 7), stage: f.stage.value } });
        refresh();
      });
    };
    const partner = e => {
      e.preventDefault();
      const f = e.target;
      act(f.querySelector("button"), async () => {
        await api("referral", `partnerships/county/${f.county.value.trim()}`, { method: "PUT", body: { hospitalId: f.hospital.value, backupHospitalId: f.backup.value || null } });
        refresh();
      });
    };
    const hospitalOptions = html`${hospitals.map(h => html`<option value=${h.id}>${h.name}</option>`)}`;
    render(html`<h2>${t("学校与医院目录")}</h2>
      <div class="cols"><section class="card"><h3>${t("学校")}（${schools.length}）</h3><table id="schools"><thead><tr><th>${t("学校代码")}</th><th>${t("名称")}</th>
        <th>${t("学段")}</th><th>${t("状态")}</th><th></th></tr></thead><tbody>${schools.map(s => html`<tr class=${s.closedOn ? "muted" : ""}><td>${s.id}</td>
          <td><form class="inline" @submit=${e => rename(e, s)}><input name="name" .value=${s.name} maxlength="100" required aria-label=${t("名称")}><button class="plain">${t("改名")}</button></form></td>
          <td>${t((STAGES.find(x => x[0] === s.stage) || [0, s.stage])[1])}</td>
          <td>${s.closedOn ? html`${t("已撤并")} ${fmt.date(s.closedOn)}` : t("在办")}</td>
          <td>${s.closedOn ? html`<button class="link" @click=${e => save(e, s, null)}>${t("恢复")}</button>`
            : html`<button class="link" @click=${e => save(e, s, today())}>${t("撤并")}</button>`}</td></tr>`)}</tbody></table>
        <form id="new-school" class="bar" @submit=${create}><input name="id" required pattern="S[0-9]{9}" placeholder="S370811009" aria-label=${t("学校代码")}>
          <input name="name" required maxlength="100" placeholder=${t("学校名称")} aria-label=${t("学校名称")}>
          <select name="stage" aria-label=${t("学段")}>${fmt.options(STAGES)}</select><button>${t("新建学校")}</button></form></section>
      <section class="card"><h3>${t("绿色通道合作医院")}</h3><table id="partnerships"><thead><tr><th>${t("区县")}</th><th>${t("合作医院")}</th><th>${t("备用医院")}</th>
        <th>${t("更新")}</th></tr></thead><tbody>${partnerships.map(p => html`<tr><td>${p.code}</td><td>${names.get(p.hospitalId) || p.hospitalId}</td>
          <td>${p.backupHospitalId ? names.get(p.backupHospitalId) || p.backupHospitalId : "—"}</td><td>${p.updatedBy} ${fmt.time(p.updatedAt)}</td></tr>`)}</tbody></table>
        <form id="partnership" class="bar" @submit=${partner}><input name="county" required pattern="[1-8][0-9]{5}" placeholder="370811" aria-label=${t("区县代码")}>
          <select name="hospital" aria-label=${t("合作医院")}>${hospitalOptions}</select>
          <select name="backup" aria-label=${t("备用医院")}><option value="">${t("无备用医院")}</option>${hospitalOptions}</select>
          <button>${t("设置合作")}</button></form>
        <h3>${t("医院")}</h3><ul>${hospitals.map(h => html`<li>${h.name} <span class="muted">${h.id} · ${h.districtCode} · ${t("绿色通道")} ${h.greenChannelPhone || "—"}</span></li>`)}</ul>
        ${admin ? nothing : html`<p class="muted">${t("新增医院由平台管理员完成。")}</p>`}</section></div>`, el);
  },
});
