// Paper questionnaires keyed in fast: a digit per item moves to the next, Backspace goes back, Enter saves; or a
// whole class's forms as one CSV.
import { html, render, nothing } from "../lit.js";
import { t, tf, both } from "../i18n.js";
import { api, act, route, go } from "../shell.js";
import * as fmt from "../format.js";
import { SCHOOL, uuid } from "./school-common.js";

route({
  name: "paper", title: "纸质录入", roles: SCHOOL,
  async render(el, campaignId) {
    const list = await api("screening", "campaigns");
    if (!list.length) { render(html`<p>${t("先创建筛查活动。")}</p>`, el); return; }
    const c = list.find(x => x.id === campaignId) || list[0];
    const defs = await Promise.all(c.instruments.map(i => api("screening", "instruments/" + i)));
    const state = { instrument: defs[0].id, result: null, done: [], bulk: null };
    const max = (d, item) => Math.max(...(item.options || d.options).map(o => o.value));

    const digit = (e, i) => {
      const input = e.target;
      const inputs = [...el.querySelectorAll("#items input")];
      input.value = input.value.replace(/[^0-9]/g, "").slice(-1);
      if (input.value !== "" && +input.value > +input.dataset.max) { input.setCustomValidity(t("超出范围")); input.reportValidity(); return; }
      input.setCustomValidity("");
      if (input.value !== "") (inputs[i + 1] || el.querySelector("#entry button")).focus();
    };
    const back = (e, i) => {
      const inputs = [...el.querySelectorAll("#items input")];
      if (e.key === "Backspace" && e.target.value === "" && i > 0) { inputs[i - 1].focus(); inputs[i - 1].select(); }
    };
    const save = e => {
      e.preventDefault();
      const form = e.target;
      // a follow-up item left blank (not asked on the form, e.g. ASQ 5 after four "no") is not sent
      const answers = [...form.querySelectorAll("#items input")].filter(x => x.value !== "" || x.required).map(x => +x.value);
      const body = { campaignId: c.id, instrumentId: state.instrument, answers, studentNumber: form.studentNumber.value.trim(), mode: "PAPER", clientSubmissionId: uuid() };
      act(form.querySelector("button"), async () => {
        state.result = await api("screening", "submissions", { method: "POST", body });
        state.done.unshift(state.result);
        form.reset();
        draw();
        form.studentNumber.focus();
      });
    };
    const upload = e => {
      e.preventDefault();
      const f = e.target;
      act(f.querySelector("button"), async () => {
        state.bulk = await api("screening", `campaigns/${c.id}/paper-submissions`, { method: "POST", body: f.file.files[0], type: "text/csv" });
        draw();
      });
    };
    const draw = () => {
      const d = defs.find(x => x.id === state.instrument);
      const r = state.result;
      render(html`<h2>${t("纸质问卷录入")}</h2>
        <div class="bar"><label>${t("筛查活动@campaign")} <select id="camp" @change=${e => go("paper", e.target.value)}>
            ${list.map(x => html`<option value=${x.id} ?selected=${x.id === c.id}>${x.name}</option>`)}</select></label>
          <label>${t("量表@instrument")} <select id="inst" @change=${e => { state.instrument = e.target.value; draw(); el.querySelectorAll("#items input").forEach(x => { x.value = ""; }); }}>
            ${defs.map(x => html`<option value=${x.id} ?selected=${x.id === state.instrument}>${x.id}</option>`)}</select></label></div>
        <div class="cols"><section class="card"><form id="entry" autocomplete="off" @submit=${save}>
          <label>${t("学号")} <input name="studentNumber" required maxlength="32" autofocus></label>
          <fieldset class="answers"><legend id="legend">${d.id} · ${both(d.title)} · ${d.items.length} ${t("题@items")}</legend><div id="items">
            ${d.items.map((item, i) => html`<label title=${both(item)}>${item.n}
              <input inputmode="numeric" maxlength="1" pattern="[0-${max(d, item)}]" data-max=${max(d, item)} name="a${i}"
                ?required=${item.askedWhen !== "positive"} placeholder=${item.askedWhen === "positive" ? "–" : ""}
                aria-label=${tf("第 {n} 题", { n: i + 1 })} @input=${e => digit(e, i)} @keydown=${e => back(e, i)}></label>`)}</div></fieldset>
          <button>${t("保存（回车）")}</button> <span class="muted">${t("输入数字自动跳到下一题；Backspace 回到上一题。")}</span></form>
          <div id="result" aria-live="polite">${r ? html`<p class="ok">${r.studentNumber} ${r.instrumentId} · ${t("总分")} ${r.totalScore}
            · ${fmt.band(defs.find(x => x.id === r.instrumentId), r.band) || ""} · ${fmt.risk(r.riskLevel)}
            ${r.status === "CONFLICT" ? t("（与已有答卷冲突，待复核）") : ""}</p>` : nothing}</div>
          <h3>${t("本次录入")}</h3><ol id="done" class="history">${state.done.map(x => html`<li>${x.studentNumber} ${x.instrumentId} ${fmt.risk(x.riskLevel)}</li>`)}</ol></section>
        <section class="card"><h3>${t("批量导入（CSV）")}</h3><p class="muted">${t("列：studentNumber,instrumentId,a1..aN；同一文件重复上传不会重复计入。")}</p>
          <form id="bulk" @submit=${upload}><input type="file" name="file" accept=".csv,text/csv" required aria-label="CSV"> <button>${t("上传")}</button></form>
          <div id="bulk-result">${state.bulk ? bulkView(state.bulk) : nothing}</div></section></div>`, el);
    };
    draw();
  },
});

function bulkView(r) {
  return html`<p class="ok">${t("行数")} ${r.rows} · ${t("已保存")} ${r.stored} · ${t("重复")} ${r.replayed} · ${t("冲突")} ${r.conflicts} · ${t("失败@count")} ${r.failed}</p>
    <table><thead><tr><th>${t("行")}</th><th>${t("学号@student")}</th><th>${t("量表@instrument")}</th><th>${t("结果")}</th><th>${t("风险")}</th><th></th></tr></thead>
    <tbody>${r.results.map(x => html`<tr><td>${x.line}</td><td>${x.studentNumber}</td><td>${x.instrumentId}</td><td>${x.outcome}</td>
      <td>${fmt.risk(x.riskLevel)}</td><td class="field-error">${(x.errors || []).join("; ")}</td></tr>`)}</tbody></table>`;
}
