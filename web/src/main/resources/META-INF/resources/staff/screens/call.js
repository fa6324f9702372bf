// The operator's call screen: a running timer, autosave of each change, the category picker, the risk questions
// (the screen's level is computed by hotline-service), escalation, and the caller's earlier calls.
import { html, render, nothing } from "../lit.js";
import { t, both, locale } from "../i18n.js";
import { api, act, route, go, every, fail, clearError } from "../shell.js";
import * as fmt from "../format.js";
import { HOTLINE, categories, CHANNELS, CALLERS, AGES, SEXES, DISTRESS, LEVELS, ACTIONS, QUESTIONS } from "./hotline-common.js";

route({
  name: "call", title: "来电", roles: HOTLINE, landing: true,
  async render(el, id) {
    if (!id) {
      const open = await api("hotline", "calls?status=OPEN&limit=20");
      const answer = e => act(e.target, async () => {
        const call = await api("hotline", "calls", { method: "POST", body: { channel: el.querySelector("#channel").value } });
        go("call", call.id);
      });
      render(html`<h2>${t("来电")}</h2><section class="card"><div class="bar">
          <label>${t("渠道")} <select id="channel">${fmt.options(CHANNELS, "PHONE")}</select></label>
          <button id="start" class="danger" @click=${answer}>${t("接听新来电（开始计时）")}</button></div>
        ${open.length ? html`<h3>${t("进行中的来电")}</h3><ul>${open.map(c => html`<li><a href="#/call/${c.id}">${fmt.time(c.startedAt)} · ${c.operator}</a></li>`)}</ul>` : nothing}
        </section>`, el);
      el.querySelector("#start").focus();
      return;
    }
    const [call, taxonomy] = await Promise.all([api("hotline", "calls/" + id), categories()]);
    showCall(el, call, taxonomy);
  },
});

function yesNo(name, value) {
  return html`<label class="inline"><input type="radio" name=${name} value="true" ?checked=${value === true}> ${t("是")}</label>
    <label class="inline"><input type="radio" name=${name} value="false" ?checked=${value === false}> ${t("否")}</label>`;
}

function categoryPicker(taxonomy, chosen) {
  const box = (code, label) => html`<label class="inline"><input type="checkbox" name="category" value=${code} ?checked=${chosen.includes(code)}> ${label}</label>`;
  return taxonomy.categories.map(p => html`<fieldset><legend>${both(p)}</legend>${(p.children || []).length
    ? p.children.map(c => box(p.id + "." + c.id, both(c))) : box(p.id, both(p))}</fieldset>`);
}

function callForm(call, taxonomy) {
  const answers = call.riskAnswers || {};
  return html`<h2>${t("来电记录")} <span class="timer" id="timer" aria-label=${t("通话时长")}></span> <span class="badge status" id="saved"></span></h2>
    <form id="call" class="cols"><div>
      <section class="card"><h3>${t("来电人")}</h3>
        <label>${t("渠道")} <select name="channel">${fmt.options(CHANNELS, call.channel)}</select></label>
        <label>${t("来电人身份")} <select name="callerType">${fmt.options(CALLERS, call.callerType || "")}</select></label>
        <label>${t("来电号码")} <input name="callerPhone" maxlength="20" inputmode="tel" placeholder=${call.callerKnown ? t("已记录（仅存摘要）") : ""}></label>
        <label>${t("年龄段")} <select name="ageBand">${fmt.options(AGES, call.ageBand || "")}</select></label>
        <label>${t("性别")} <select name="sex">${fmt.options(SEXES, call.sex || "")}</select></label>
        <label>${t("区县代码")} <input name="districtCode" maxlength="6" pattern="[1-8][0-9]{5}" value=${call.districtCode || ""}></label>
        <fieldset><legend><label class="inline"><input type="checkbox" name="identified" ?checked=${call.identified}> ${t("已确认学生身份（用于转介）")}</label></legend>
          <label>${t("学校代码")} <input name="schoolId" maxlength="10" pattern="S[0-9]{9}" value=${call.schoolId || ""}></label>
          <label>${t("学号")} <input name="studentNumber" maxlength="20" value=${call.studentNumber || ""}></label></fieldset></section>
      <section class="card"><h3>${t("来电类别")}</h3>${categoryPicker(taxonomy, call.categories || [])}</section>
      <section class="card"><h3>${t("记录@notes")}</h3><textarea name="notes" maxlength="20000" aria-label=${t("记录@notes")} .value=${call.notes || ""}></textarea>
        <label>${t("回访时间")} <input type="datetime-local" name="followUpAt" value=${call.followUpAt ? fmt.localInput(new Date(call.followUpAt)) : ""}></label></section>
    </div><div>
      <section class="card"><h3>${t("风险评估")}</h3><ol class="history">${QUESTIONS.map(([k, key]) => html`<li><div>${t(key)}</div>${yesNo(k, answers[k])}</li>`)}</ol>
        <label>${t("痛苦程度")} <select name="distress">${fmt.options(DISTRESS, answers.distress || "")}</select></label>
        <p>${t("评估结果")}: <span id="computed"></span></p>
        <label>${t("记录的风险等级（不低于评估结果）")} <select name="riskLevel"><option value=""></option>
          ${LEVELS.map(l => html`<option value=${l} ?selected=${l === call.riskLevel}>${fmt.riskLabel(l)}</option>`)}</select></label>
        <fieldset><legend>${t("处置")}</legend>${ACTIONS.map(([v, key]) => html`<label class="inline"><input type="checkbox" name="action" value=${v}
          ?checked=${(call.actions || []).includes(v)}> ${t(key)}</label>`)}</fieldset>
        <div class="bar"><button type="button" id="close">${t("结束并提交")}</button>
          <button type="button" id="escalate" class="danger">${t("紧急升级（危急）")}</button></div>
        <p class="muted">${t("危急且已确认学生：立即转介合作医院；无法确认身份：开启紧急升级，由值班主管处理。")}</p>
        <div id="outcome"></div></section>
      <section class="card"><h3>${t("该来电人的既往来电")}</h3><div id="earlier"></div></section>
    </div></form>`;
}

function earlier(call) {
  const list = call.earlierCalls || [];
  if (!call.callerKnown) return html`<p class="muted">${t("输入来电号码后显示该来电人的既往来电。")}</p>`;
  return list.length ? html`<table><tbody>${list.map(c => html`<tr><td>${fmt.time(c.startedAt)}</td><td>${fmt.risk(c.riskLevel)}</td>
    <td>${(c.categories || []).join(", ")}</td><td>${c.operator}</td></tr>`)}</tbody></table>` : html`<p class="muted">${t("首次来电。")}</p>`;
}

function outcome(call) {
  return html`<p class="ok">${t("已结束")} · ${fmt.risk(call.riskLevel)} ${call.referralRequestId ? t("· 已转介合作医院")
    : call.escalation ? t("· 已开启紧急升级，值班主管处理中") : ""}</p><a class="button" href="#/call">${t("接听下一个来电")}</a>`;
}

function showCall(el, call, taxonomy) {
  const closed = call.status === "CLOSED";
  render(callForm(call, taxonomy), el);
  const $ = sel => el.querySelector(sel);
  const form = $("#call");
  $("#timer").textContent = fmt.duration(call.elapsedSeconds);
  $("#saved").textContent = closed ? t("已结束") : t("自动保存");
  render(fmt.risk(call.riskComputed), $("#computed"));
  render(earlier(call), $("#earlier"));
  if (closed) {
    form.querySelectorAll("input, select, textarea, button").forEach(x => { x.disabled = true; });
    render(outcome(call), $("#outcome"));
    return;
  }
  const started = Date.now() - call.elapsedSeconds * 1000;
  const ticking = every(1000, () => { $("#timer").textContent = fmt.duration((Date.now() - started) / 1000); }, el);

  // Autosave: the fields changed since the last save, 700 ms after the operator stops typing.
  let dirty = {}, timer = null, saving = Promise.resolve();
  // what the last refusal named (a close without a category, a failed save): a save of those fields clears it
  let refused = new Set();
  const values = () => {
    const f = form, v = {};
    v.channel = f.channel.value; v.callerType = f.callerType.value || null; v.ageBand = f.ageBand.value || null; v.sex = f.sex.value || null;
    v.districtCode = f.districtCode.value || null; v.identified = f.identified.checked; v.schoolId = f.schoolId.value || null;
    v.studentNumber = f.studentNumber.value || null;
    v.categories = [...f.querySelectorAll("[name=category]:checked")].map(x => x.value);
    v.actions = [...f.querySelectorAll("[name=action]:checked")].map(x => x.value);
    v.notes = f.notes.value; v.followUpAt = fmt.isoLocal(f.followUpAt.value); v.riskLevel = f.riskLevel.value || null;
    const answer = k => { const c = f.querySelector(`[name=${k}]:checked`); return c ? c.value === "true" : null; };
    v.riskAnswers = Object.fromEntries(QUESTIONS.map(([k]) => [k, answer(k)]));
    v.riskAnswers.distress = f.distress.value || null;
    if (f.callerPhone.value) v.callerPhone = f.callerPhone.value;
    return v;
  };
  const fieldOf = target => ({ category: "categories", action: "actions", distress: "riskAnswers" }[target.name]
    || (QUESTIONS.some(q => q[0] === target.name) ? "riskAnswers" : target.name));
  const refreshEarlier = async () => render(earlier(await api("hotline", "calls/" + call.id)), $("#earlier"));
  const save = (leaving = false) => {
    clearTimeout(timer); timer = null;
    const all = values(), body = {};
    for (const k of Object.keys(dirty)) if (all[k] !== null || k === "riskLevel") body[k] = all[k];
    dirty = {};
    if (!Object.keys(body).length) return saving;
    if (leaving) { api("hotline", "calls/" + call.id, { method: "PATCH", body, keepalive: true }).catch(() => {}); return saving; }
    saving = saving.then(async () => {
      $("#saved").textContent = t("保存中…");
      try {
        const r = await api("hotline", "calls/" + call.id, { method: "PATCH", body });
        $("#saved").textContent = t("已保存 ") + new Date(r.savedAt).toLocaleTimeString(locale());
        render(fmt.risk(r.riskComputed), $("#computed"));
        if (r.riskLevel && !dirty.riskLevel) form.riskLevel.value = r.riskLevel; // the answers raise the recorded level
        if (Object.keys(body).some(k => refused.has(k))) { refused.clear(); clearError(); }
        if (body.callerPhone) { form.callerPhone.value = ""; form.callerPhone.placeholder = t("已记录（仅存摘要）"); refreshEarlier(); }
      } catch (e) {
        $("#saved").textContent = t("未保存"); fail(e);
        refused = new Set(Object.keys(body));
        Object.assign(dirty, Object.fromEntries(Object.keys(body).map(k => [k, true])));
      }
    });
    return saving;
  };
  form.addEventListener("input", e => { dirty[fieldOf(e.target)] = true; clearTimeout(timer); timer = setTimeout(save, 700); });
  form.addEventListener("change", e => { dirty[fieldOf(e.target)] = true; clearTimeout(timer); timer = setTimeout(save, 200); });
  // leaving or reloading with a change not yet saved: send it anyway (keepalive outlives the page)
  window.addEventListener("pagehide", () => save(true), { once: true });
  window.addEventListener("hashchange", () => save(true), { once: true });

  const close = button => act(button, async () => {
    await save();
    const done = await api("hotline", `calls/${call.id}/close`, { method: "POST" }).catch(e => {
      refused = new Set(((e.problem && e.problem.errors) || []).map(x => x.field.split(/[.[]/)[0]));
      throw e;
    });
    clearInterval(ticking); // the closed call shows its recorded duration, not a clock still running
    const box = document.createElement("div");
    el.replaceWith(box); // the closed call in a box of its own: nothing of the open call's handlers stays
    showCall(box, done, taxonomy);
  });
  $("#close").onclick = e => close(e.target);
  $("#escalate").onclick = e => {
    if (!confirm(t("确认按“危急”升级处理并结束记录？"))) return;
    form.riskLevel.value = "CRITICAL"; dirty.riskLevel = true;
    const emergency = form.querySelector("[name=action][value=EMERGENCY_SERVICES]");
    if (!form.identified.checked && !emergency.checked) { emergency.checked = true; dirty.actions = true; }
    close(e.target);
  };
}
