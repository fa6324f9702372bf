// The expert group's semester analysis report: the experts write the commentary and sign it (each signing freezes the
// figures as a new version with its SHA-256); the bureau reads every version and downloads it as PDF.
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, refresh, has } from "../shell.js";
import * as fmt from "../format.js";
import { home } from "./report-common.js";

const semester = () => { const d = new Date(Date.now() + 8 * 3600e3); const m = d.getUTCMonth() + 1, y = d.getUTCFullYear();
  return m >= 9 ? `${y}-autumn` : m === 1 ? `${y - 1}-autumn` : `${y}-spring`; };
const view = { semester: null };

route({
  name: "analysis", title: "专家分析报告", roles: ["expert-reviewer", "bureau-analyst"],
  async render(el) {
    const where = home();
    if (!where || where.level === "school") { render(html`${t("没有辖区。")}`, el); return; }
    view.semester ??= semester();
    const q = `level=${where.level}&code=${encodeURIComponent(where.code)}&semester=${view.semester}`;
    const versions = await api("reporting", "analysis-reports?" + q);
    const draft = versions.find(v => v.status === "DRAFT");
    const latest = versions.find(v => v.status === "SIGNED");
    const expert = has("expert-reviewer");
    const save = e => {
      e.preventDefault();
      act(e.target.querySelector("button"), async () => {
        await api("reporting", "analysis-reports", { method: "POST", body: { level: where.level, code: where.code, semester: view.semester,
          commentary: e.target.commentary.value } });
        refresh();
      });
    };
    const sign = e => act(e.target, async () => { await api("reporting", `analysis-reports/${draft.id}/signature`, { method: "POST" }); refresh(); });
    render(html`<h2>${t("专家分析报告")} <span class="muted">${t("市、县、校三级筛查评估分析，专家组签发")}</span></h2>
      <div class="bar"><label class="inline">${t("学期")} <input id="semester" size="12" .value=${view.semester}
        @change=${e => { view.semester = e.target.value.trim(); refresh(); }}></label></div>
      ${expert ? html`<section class="card"><h3>${draft ? t("草稿") : t("撰写分析意见")}</h3><form id="draft" @submit=${save}>
        <textarea name="commentary" rows="8" required maxlength="20000" aria-label=${t("分析意见")}
          .value=${draft ? draft.commentary : latest ? latest.commentary : ""}></textarea>
        <div><button>${t("保存草稿")}</button> ${draft ? html`<button type="button" id="sign" @click=${sign}>${t("签发")}</button>
          <a href=${`/bff/api/reporting/analysis-reports/${draft.id}/pdf`}>${t("预览 PDF")}</a>` : nothing}</div></form>
        <p class="muted">${t("签发时冻结当时的数据，形成新版本；已签发的版本不可修改。")}</p></section>` : nothing}
      <section class="card"><h3>${t("已签发版本")}</h3><table id="versions"><thead><tr><th>${t("版本")}</th><th>${t("签发人")}</th><th>${t("签发时间")}</th>
        <th>${t("内容摘要（SHA-256）")}</th><th></th></tr></thead><tbody>${versions.filter(v => v.status === "SIGNED").length
          ? versions.filter(v => v.status === "SIGNED").map(v => html`<tr><td>v${v.version}</td><td>${v.signerName}</td><td>${fmt.time(v.signedAt)}</td>
            <td><code>${v.digest.slice(0, 16)}…</code></td><td><a href=${`/bff/api/reporting/analysis-reports/${v.id}/pdf`}>PDF</a></td></tr>`)
          : html`<tr><td colspan="5">${t("本学期尚未签发")}</td></tr>`}</tbody></table></section>`, el);
  },
});
