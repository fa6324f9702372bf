// Instrument management (platform admin): every instrument with its versions; upload a new instrument or version (a
// draft, validated: the problems name their fields), preview it as a student or guardian will see it, publish it.
// New campaigns pin the latest published version; open campaigns keep theirs.
import { html, render, nothing } from "../lit.js";
import { t, both } from "../i18n.js";
import { api, act, route, refresh } from "../shell.js";
import * as fmt from "../format.js";

const view = { preview: null };
const STATUS = { DRAFT: "草稿", PUBLISHED: "已发布" };

route({
  name: "instruments", title: "量表管理", roles: ["platform-admin"],
  async render(el) {
    const list = await api("screening", "instruments");
    const versions = await Promise.all(list.map(i => api("screening", `instruments/${i.id}/versions`)));
    const preview = view.preview ? await api("screening", `instruments/${view.preview.id}/versions/${view.preview.version}`).catch(() => null) : null;
    const upload = e => {
      e.preventDefault();
      const f = e.target;
      act(f.querySelector("button"), async () => {
        const text = f.file.files[0] ? await f.file.files[0].text() : f.definition.value;
        const saved = await api("screening", "instruments", { method: "POST", body: text, type: "application/json" });
        view.preview = { id: saved.id, version: saved.version };
        refresh();
      });
    };
    const publish = (e, v) => act(e.target, async () => { await api("screening", `instruments/${v.id}/versions/${v.version}/publication`, { method: "POST" }); refresh(); });
    render(html`<h2>${t("量表管理")} <span class="muted">${t("新建的筛查活动使用最新发布的版本；进行中的活动保持原版本。")}</span></h2>
      <div class="cols"><section class="card"><table id="instrument-versions"><thead><tr><th>${t("量表")}</th><th>${t("版本")}</th><th>${t("状态")}</th>
        <th>${t("上传")}</th><th>${t("发布")}</th><th></th></tr></thead><tbody>${versions.flat().map(v => html`<tr><td>${v.id} <span class="muted">${both(v.title)}</span></td>
          <td>${v.version}</td><td>${t(STATUS[v.status])}</td><td>${v.uploadedBy} ${fmt.time(v.uploadedAt)}</td><td>${v.publishedAt ? fmt.time(v.publishedAt) : "—"}</td>
          <td><button class="link" @click=${() => { view.preview = v; refresh(); }}>${t("预览")}</button>
            ${v.status === "DRAFT" ? html` · <button class="link" @click=${e => publish(e, v)}>${t("发布")}</button>` : nothing}</td></tr>`)}</tbody></table></section>
      <section class="card"><h3>${t("上传量表或新版本")}</h3><form id="upload" @submit=${upload}>
        <p class="muted">${t("JSON 定义：题目、选项、计分分段、危急条目、风险对应、授权说明与来源。先保存为草稿，预览无误后再发布。")}</p>
        <input type="file" name="file" accept=".json,application/json" aria-label=${t("量表定义文件")}>
        <textarea name="definition" rows="6" aria-label=${t("量表定义")} placeholder='{"id": "PSC-17", "version": "1.1", …}'></textarea>
        <div><button>${t("校验并保存草稿")}</button></div></form></section></div>
      ${preview ? html`<section class="card" id="preview"><h3>${t("预览")} · ${preview.id} v${preview.version} · ${both(preview.title)}</h3>
        <p>${preview.respondent === "GUARDIAN" ? html`<strong>${t("本问卷由家长填写")}</strong> · ` : nothing}${both(preview.instructions)}</p>
        <ol>${preview.items.map(item => html`<li>${item.zh} <span class="muted">${item.en}</span><div class="muted">
          ${(item.options && item.options.length ? item.options : preview.options).map(o => `${o.value} ${o.zh}`).join(" · ")}</div></li>`)}</ol>
        <p class="muted">${t("分段")}: ${preview.bands.map(b => `${b.zh} ${b.min}–${b.max}${preview.risk && preview.risk[b.id] ? " → " + preview.risk[b.id] : ""}`).join(" · ")}</p>
        <p class="muted">${t("适用年龄")} ${preview.ages.min}–${preview.ages.max} · ${both(preview.licence)}</p>
        <p class="muted">${t("来源")}: ${preview.source}</p></section>` : nothing}`, el);
  },
});
