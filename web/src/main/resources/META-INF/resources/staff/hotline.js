"use strict";
// The hotline: the operator's call screen (running timer, autosave, category picker, risk questions, escalation,
// the caller's earlier calls), the list of calls, and the supervisor's live board and shift roster.
(() => {
  const { t, esc, api, act, route, fmt } = X;
  const HOTLINE = ["hotline-operator", "hotline-supervisor"];
  let taxonomy;
  const categories = async () => taxonomy ??= await api("hotline", "taxonomy");
  const opt = (list, value) => list.map(([v, zh, en]) => `<option value="${v}" ${v === value ? "selected" : ""}>${t(zh, en)}</option>`).join("");
  const CHANNELS = [["PHONE", "电话", "Phone"], ["WECHAT", "微信", "WeChat"], ["ONLINE_CHAT", "网上咨询", "Online chat"]];
  const CALLERS = [["", "—", "—"], ["STUDENT", "学生本人", "Student"], ["PARENT", "家长", "Parent"], ["TEACHER", "教师", "Teacher"], ["OTHER", "其他", "Other"]];
  const AGES = [["", "—", "—"], ["UNDER_10", "10岁以下", "Under 10"], ["10_12", "10–12岁", "10–12"], ["13_15", "13–15岁", "13–15"], ["16_18", "16–18岁", "16–18"], ["ADULT", "成年", "Adult"], ["UNKNOWN", "不详", "Unknown"]];
  const SEXES = [["", "—", "—"], ["MALE", "男", "Male"], ["FEMALE", "女", "Female"], ["UNKNOWN", "不详", "Unknown"]];
  const LEVELS = ["NONE", "LOW", "MODERATE", "HIGH", "CRITICAL"];
  const ACTIONS = [["COUNSELLING", "心理疏导", "Counselling"], ["SAFETY_PLAN", "安全计划", "Safety plan"], ["EMERGENCY_SERVICES", "联系急救/警方", "Emergency services"],
    ["REFERRAL", "转介", "Referral"], ["FOLLOW_UP_SCHEDULED", "约定回访", "Follow-up scheduled"], ["INFORMATION", "信息咨询", "Information"]];
  const QUESTIONS = [["wishedDead", "最近几周，你是否希望自己死了？", "In the past few weeks, have you wished you were dead?"],
    ["betterOffDead", "最近几周，你是否觉得如果你死了，你或你的家人会更好？", "…felt that you or your family would be better off if you were dead?"],
    ["suicidalThoughts", "最近一周，你是否有过想要自杀的念头？", "In the past week, have you been having thoughts about killing yourself?"],
    ["triedBefore", "你是否曾经尝试过自杀？", "Have you ever tried to kill yourself?"],
    ["thoughtsNow", "（任一为“是”时）你现在有想要自杀的念头吗？", "(if any yes) Are you having thoughts of killing yourself right now?"]];

  // ---- the call screen --------------------------------------------------------------------------------------------
  route({
    name: "call", zh: "来电", en: "Call", roles: HOTLINE, landing: true,
    async render(el, id) {
      if (!id) {
        const open = await api("hotline", "calls?status=OPEN&limit=20");
        el.innerHTML = `<h2>${t("来电", "Call")}</h2><section class="card"><div class="bar">
          <label>${t("渠道", "Channel")} <select id="channel">${opt(CHANNELS, "PHONE")}</select></label>
          <button id="start" class="danger">${t("接听新来电（开始计时）", "Answer a new call (starts the timer)")}</button></div>
          ${open.length ? `<h3>${t("进行中的来电", "Calls in progress")}</h3><ul>${open.map(c => `<li><a href="#/call/${c.id}">${fmt.time(c.startedAt)} · ${esc(c.operator)}</a></li>`).join("")}</ul>` : ""}</section>`;
        el.querySelector("#start").onclick = e => act(e.target, async () => {
          const call = await api("hotline", "calls", { method: "POST", body: { channel: el.querySelector("#channel").value } });
          location.hash = "#/call/" + call.id;
        });
        el.querySelector("#start").focus();
        return;
      }
      const [call, tax] = await Promise.all([api("hotline", "calls/" + id), categories()]);
      renderCall(el, call, tax);
    },
  });

  function renderCall(el, call, tax) {
    const closed = call.status === "CLOSED";
    const ra = call.riskAnswers || {};
    const yesNo = (name, v) => `<label class="inline"><input type="radio" name="${name}" value="true" ${v === true ? "checked" : ""}> ${t("是", "Yes")}</label>
      <label class="inline"><input type="radio" name="${name}" value="false" ${v === false ? "checked" : ""}> ${t("否", "No")}</label>`;
    el.innerHTML = `<h2>${t("来电记录", "Call record")} <span class="timer" id="timer" aria-label="${t("通话时长", "Call duration")}">${fmt.duration(call.elapsedSeconds)}</span>
        <span class="badge status" id="saved">${closed ? t("已结束", "Closed") : t("自动保存", "Autosave on")}</span></h2>
      <form id="call" class="cols"><div>
        <section class="card"><h3>${t("来电人", "Caller")}</h3>
          <label>${t("渠道", "Channel")} <select name="channel">${opt(CHANNELS, call.channel)}</select></label>
          <label>${t("来电人身份", "Caller type")} <select name="callerType">${opt(CALLERS, call.callerType || "")}</select></label>
          <label>${t("来电号码", "Caller phone")} <input name="callerPhone" maxlength="20" inputmode="tel" placeholder="${call.callerKnown ? t("已记录（仅存摘要）", "recorded (hash only)") : ""}"></label>
          <label>${t("年龄段", "Age band")} <select name="ageBand">${opt(AGES, call.ageBand || "")}</select></label>
          <label>${t("性别", "Sex")} <select name="sex">${opt(SEXES, call.sex || "")}</select></label>
          <label>${t("区县代码", "District code")} <input name="districtCode" maxlength="6" pattern="[1-8][0-9]{5}" value="${esc(call.districtCode || "")}"></label>
          <fieldset><legend><label class="inline"><input type="checkbox" name="identified" ${call.identified ? "checked" : ""}> ${t("已确认学生身份（用于转介）", "Student identified (for a referral)")}</label></legend>
            <label>${t("学校代码", "School id")} <input name="schoolId" maxlength="10" pattern="S[0-9]{9}" value="${esc(call.schoolId || "")}"></label>
            <label>${t("学号", "Student number")} <input name="studentNumber" maxlength="20" value="${esc(call.studentNumber || "")}"></label></fieldset></section>
        <section class="card"><h3>${t("来电类别", "Categories")}</h3>${tax.categories.map(p => `<fieldset><legend>${esc(t(p.zh, p.en))}</legend>${
          (p.children || []).map(c => { const code = p.id + "." + c.id; return `<label class="inline"><input type="checkbox" name="category" value="${esc(code)}" ${(call.categories || []).includes(code) ? "checked" : ""}> ${esc(t(c.zh, c.en))}</label>`; }).join("")
          || `<label class="inline"><input type="checkbox" name="category" value="${esc(p.id)}" ${(call.categories || []).includes(p.id) ? "checked" : ""}> ${esc(t(p.zh, p.en))}</label>`}</fieldset>`).join("")}</section>
        <section class="card"><h3>${t("记录", "Notes")}</h3><textarea name="notes" maxlength="20000" aria-label="${t("记录", "Notes")}">${esc(call.notes || "")}</textarea>
          <label>${t("回访时间", "Follow-up at")} <input type="datetime-local" name="followUpAt" value="${call.followUpAt ? X.localInput(new Date(call.followUpAt)) : ""}"></label></section>
      </div><div>
        <section class="card"><h3>${t("风险评估", "Risk questions")}</h3><ol class="history">${QUESTIONS.map(([k, zh, en]) => `<li><div>${t(zh, en)}</div>${yesNo(k, ra[k])}</li>`).join("")}</ol>
          <label>${t("痛苦程度", "Distress")} <select name="distress">${opt([["", "—", "—"], ["NONE", "无", "None"], ["MILD", "轻度", "Mild"], ["MODERATE", "中度", "Moderate"], ["SEVERE", "重度", "Severe"]], ra.distress || "")}</select></label>
          <p>${t("评估结果", "Screen result")}: <span id="computed">${fmt.risk(call.riskComputed)}</span></p>
          <label>${t("记录的风险等级（不低于评估结果）", "Risk level recorded (not below the screen)")} <select name="riskLevel"><option value=""></option>${LEVELS.map(l => `<option value="${l}" ${l === call.riskLevel ? "selected" : ""}>${X.riskLabel(l)}</option>`).join("")}</select></label>
          <fieldset><legend>${t("处置", "Actions")}</legend>${ACTIONS.map(([v, zh, en]) => `<label class="inline"><input type="checkbox" name="action" value="${v}" ${(call.actions || []).includes(v) ? "checked" : ""}> ${t(zh, en)}</label>`).join("")}</fieldset>
          <div class="bar"><button type="button" id="close">${t("结束并提交", "End and submit")}</button>
            <button type="button" id="escalate" class="danger">${t("紧急升级（危急）", "Escalate now (critical)")}</button></div>
          <p class="muted">${t("危急且已确认学生：立即转介合作医院；无法确认身份：开启紧急升级，由值班主管处理。", "Critical with an identified student: referred to the partner hospital at once; otherwise an emergency escalation for the supervisor.")}</p>
          <div id="outcome"></div></section>
        <section class="card"><h3>${t("该来电人的既往来电", "This caller's earlier calls")}</h3><div id="earlier">${earlier(call)}</div></section>
      </div></form>`;
    const form = el.querySelector("#call");
    if (closed) { form.querySelectorAll("input, select, textarea, button").forEach(x => x.disabled = true); showOutcome(el, call); return; }
    const started = Date.now() - call.elapsedSeconds * 1000;
    const ticking = X.every(1000, () => { el.querySelector("#timer").textContent = fmt.duration((Date.now() - started) / 1000); }, el);

    // Autosave: the fields changed since the last save, 700 ms after the operator stops typing.
    let dirty = {}, timer = null, saving = Promise.resolve();
    // what the last refusal named (a close without a category, a failed save): a save of those fields clears it
    let refused = new Set();
    const values = () => {
      const f = form, v = {};
      v.channel = f.channel.value; v.callerType = f.callerType.value || null; v.ageBand = f.ageBand.value || null; v.sex = f.sex.value || null;
      v.districtCode = f.districtCode.value || null; v.identified = f.identified.checked; v.schoolId = f.schoolId.value || null; v.studentNumber = f.studentNumber.value || null;
      v.categories = [...f.querySelectorAll("[name=category]:checked")].map(x => x.value);
      v.actions = [...f.querySelectorAll("[name=action]:checked")].map(x => x.value);
      v.notes = f.notes.value; v.followUpAt = X.isoLocal(f.followUpAt.value); v.riskLevel = f.riskLevel.value || null;
      const answer = k => { const c = f.querySelector(`[name=${k}]:checked`); return c ? c.value === "true" : null; };
      v.riskAnswers = Object.fromEntries(QUESTIONS.map(([k]) => [k, answer(k)])); v.riskAnswers.distress = f.distress.value || null;
      if (f.callerPhone.value) v.callerPhone = f.callerPhone.value;
      return v;
    };
    const fieldOf = target => ({ category: "categories", action: "actions", distress: "riskAnswers" }[target.name] || (QUESTIONS.some(q => q[0] === target.name) ? "riskAnswers" : target.name));
    const save = (leaving = false) => {
      clearTimeout(timer); timer = null;
      const all = values(), body = {};
      for (const k of Object.keys(dirty)) if (all[k] !== null || k === "riskLevel") body[k] = all[k];
      dirty = {};
      if (!Object.keys(body).length) return saving;
      if (leaving) { api("hotline", "calls/" + call.id, { method: "PATCH", body, keepalive: true }).catch(() => {}); return saving; }
      saving = saving.then(async () => {
        el.querySelector("#saved").textContent = t("保存中…", "Saving…");
        try {
          const r = await api("hotline", "calls/" + call.id, { method: "PATCH", body });
          el.querySelector("#saved").textContent = t("已保存 ", "Saved ") + new Date(r.savedAt).toLocaleTimeString(X.lang === "en" ? "en-GB" : "zh-CN");
          el.querySelector("#computed").innerHTML = fmt.risk(r.riskComputed);
          if (r.riskLevel && !dirty.riskLevel) form.riskLevel.value = r.riskLevel; // the answers raise the recorded level
          if (Object.keys(body).some(k => refused.has(k))) { refused.clear(); X.clearError(); }
          if (body.callerPhone) { form.callerPhone.value = ""; form.callerPhone.placeholder = t("已记录（仅存摘要）", "recorded (hash only)"); refreshEarlier(); }
        } catch (e) {
          el.querySelector("#saved").textContent = t("未保存", "Not saved"); X.fail(e);
          refused = new Set(Object.keys(body)); Object.assign(dirty, Object.fromEntries(Object.keys(body).map(k => [k, true])));
        }
      });
      return saving;
    };
    const refreshEarlier = async () => { const c = await api("hotline", "calls/" + call.id); el.querySelector("#earlier").innerHTML = earlier(c); };
    form.addEventListener("input", e => { dirty[fieldOf(e.target)] = true; clearTimeout(timer); timer = setTimeout(save, 700); });
    form.addEventListener("change", e => { dirty[fieldOf(e.target)] = true; clearTimeout(timer); timer = setTimeout(save, 200); });
    // leaving or reloading with a change not yet saved: send it anyway (keepalive outlives the page)
    window.addEventListener("pagehide", () => save(true), { once: true });
    window.addEventListener("hashchange", () => save(true), { once: true });

    const close = async button => act(button, async () => {
      await save();
      const done = await api("hotline", `calls/${call.id}/close`, { method: "POST" }).catch(e => {
        refused = new Set(((e.problem && e.problem.errors) || []).map(x => x.field.split(/[.[]/)[0]));
        throw e;
      });
      clearInterval(ticking); // the closed call shows its recorded duration, not a clock still running
      renderCall(el, done, tax);
    });
    el.querySelector("#close").onclick = e => close(e.target);
    el.querySelector("#escalate").onclick = e => {
      if (!confirm(t("确认按“危急”升级处理并结束记录？", "Record as critical, escalate and end the record?"))) return;
      form.riskLevel.value = "CRITICAL"; dirty.riskLevel = true;
      const emergency = form.querySelector("[name=action][value=EMERGENCY_SERVICES]");
      if (!form.identified.checked && !emergency.checked) { emergency.checked = true; dirty.actions = true; }
      close(e.target);
    };
  }

  const missing = m => ({ SUPERVISOR: t("缺主管", "no supervisor"), OPERATOR: t("缺接线员", "no operator") }[m] || m);

  function earlier(call) {
    const list = call.earlierCalls || [];
    if (!call.callerKnown) return `<p class="muted">${t("输入来电号码后显示该来电人的既往来电。", "Enter the caller's number to see their earlier calls.")}</p>`;
    return list.length ? `<table><tbody>${list.map(c => `<tr><td>${fmt.time(c.startedAt)}</td><td>${fmt.risk(c.riskLevel)}</td><td>${esc((c.categories || []).join(", "))}</td><td>${esc(c.operator)}</td></tr>`).join("")}</tbody></table>`
      : `<p class="muted">${t("首次来电。", "First call.")}</p>`;
  }

  function showOutcome(el, call) {
    const box = el.querySelector("#outcome");
    box.innerHTML = `<p class="ok">${t("已结束", "Closed")} · ${fmt.risk(call.riskLevel)} ${call.referralRequestId ? t("· 已转介合作医院", "· referred to the partner hospital")
      : call.escalation ? t("· 已开启紧急升级，值班主管处理中", "· emergency escalation opened for the supervisor") : ""}</p><a class="button" href="#/call">${t("接听下一个来电", "Next call")}</a>`;
  }

  // ---- calls list ----------------------------------------------------------------------------------------------------
  route({
    name: "calls", zh: "来电记录", en: "Calls", roles: HOTLINE,
    async render(el) {
      const list = await api("hotline", "calls?limit=200");
      el.innerHTML = `<h2>${t("来电记录", "Calls")}</h2><section class="card"><table><thead><tr><th>${t("开始", "Started")}</th><th>${t("时长", "Duration")}</th><th>${t("渠道", "Channel")}</th>
        <th>${t("类别", "Categories")}</th><th>${t("风险", "Risk")}</th><th>${t("重复来电", "Repeat")}</th><th>${t("接线员", "Operator")}</th><th>${t("状态", "Status")}</th></tr></thead><tbody>${
        list.map(c => `<tr class="pick" tabindex="0" data-id="${c.id}"><td>${fmt.time(c.startedAt)}</td><td>${c.durationSeconds != null ? fmt.duration(c.durationSeconds) : "…"}</td><td>${esc(c.channel)}</td>
          <td>${esc((c.categories || []).join(", "))}</td><td>${fmt.risk(c.riskLevel)}</td><td>${c.repeatCaller ? "✓" : ""}</td><td>${esc(c.operator)}</td><td>${c.status === "OPEN" ? t("进行中", "Open") : t("已结束", "Closed")}</td></tr>`).join("")
        || `<tr><td colspan="8">${t("暂无", "None")}</td></tr>`}</tbody></table></section>`;
      el.querySelectorAll("tr.pick").forEach(tr => { tr.onclick = tr.onkeydown = e => { if (e.type === "click" || e.key === "Enter") location.hash = "#/call/" + tr.dataset.id; }; });
    },
  });

  // ---- the supervisor's live board ---------------------------------------------------------------------------------
  route({
    name: "board", zh: "值班看板", en: "Live board", roles: ["hotline-supervisor"],
    async render(el) {
      const draw = async () => {
        const b = await api("hotline", "board");
        el.innerHTML = `<h2>${t("值班看板", "Live board")} <span class="muted">${t("每 5 秒刷新", "refreshes every 5 s")}</span></h2><div class="grid">
          <section class="card"><h3>${t("紧急升级（待处理）", "Open emergency escalations")}</h3>${b.openEscalations.length ? b.openEscalations.map(x => `<form class="card" data-id="${x.id}">
            ${fmt.risk(x.riskLevel)} ${t("开启于", "opened")} ${fmt.time(x.openedAt)} · <a href="#/call/${x.callId}">${t("来电记录", "call record")}</a>
            <label>${t("处理结果", "Resolution")} <select name="resolution">${opt([["EMERGENCY_SERVICES", "已联系急救/警方", "Emergency services called"], ["CALLER_SAFE", "来电人已安全", "Caller safe"],
              ["IDENTIFIED_AND_REFERRED", "已确认身份并转介", "Identified and referred"], ["LOST_CONTACT", "失去联系", "Lost contact"], ["OTHER", "其他", "Other"]], "")}</select></label>
            <label style="display:flex">${t("说明", "Note")} <textarea name="note" required maxlength="4000"></textarea></label><button>${t("关闭升级", "Close escalation")}</button></form>`).join("")
            : `<p class="muted">${t("没有待处理的紧急升级。", "No open escalation.")}</p>`}</section>
          <section class="card"><h3>${t("进行中的来电", "Calls in progress")}</h3><table><tbody>${b.callsInProgress.map(c => `<tr><td><a href="#/call/${c.id}">${fmt.time(c.startedAt)}</a></td><td>${esc(c.operator)}</td><td>${fmt.risk(c.riskLevel)}</td></tr>`).join("")
            || `<tr><td class="muted">${t("无", "None")}</td></tr>`}</tbody></table></section>
          <section class="card"><h3>${t("当前在岗", "On duty now")}</h3>${b.onDuty.map(s => `<p>${fmt.time(s.startsAt)}–${fmt.time(s.endsAt)}: ${s.members.map(m => esc(m.displayName) + (m.role === "SUPERVISOR" ? t("（主管）", " (supervisor)") : "")).join("、")}</p>`).join("")
            || `<p class="overdue">${t("当前无人值班！", "Nobody is on duty!")}</p>`}</section>
          <section class="card"><h3>${t("未来 24 小时排班缺口", "Gaps in the next 24 h")}</h3>${b.gapsNext24h.map(g => `<p class="overdue">${fmt.time(g.from)}–${fmt.time(g.to)} · ${esc(missing(g.missing))}</p>`).join("")
            || `<p class="muted">${t("无缺口。", "No gap.")}</p>`}</section></div>`;
        el.querySelectorAll("form[data-id]").forEach(f => f.onsubmit = e => {
          e.preventDefault();
          act(f.querySelector("button"), async () => { await api("hotline", `escalations/${f.dataset.id}/close`, { method: "POST", body: { resolution: f.resolution.value, note: f.note.value } }); await draw(); });
        });
      };
      await draw();
      // a form being filled in is not redrawn under the supervisor's hands
      X.every(5000, () => { if (!el.contains(document.activeElement) || document.activeElement === document.body) draw().catch(X.fail); }, el);
    },
  });

  // ---- shift roster ------------------------------------------------------------------------------------------------
  route({
    name: "shifts", zh: "排班", en: "Shifts", roles: HOTLINE,
    async render(el) {
      const from = new Date(); from.setHours(0, 0, 0, 0);
      const to = new Date(from.getTime() + 7 * 864e5);
      const roster = await api("hotline", `shifts?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
      const staff = new Map();
      roster.shifts.forEach(s => s.members.forEach(m => staff.set(m.subject, m)));
      el.innerHTML = `<h2>${t("排班表（7 天）", "Shift roster (7 days)")}</h2><div class="cols"><section class="card"><table><thead><tr><th>${t("开始", "Starts")}</th><th>${t("结束", "Ends")}</th><th>${t("人员", "Staff")}</th><th>${t("交接", "Handover")}</th></tr></thead><tbody>${
        roster.shifts.map(s => `<tr><td>${fmt.time(s.startsAt)}</td><td>${fmt.time(s.endsAt)}</td><td>${s.members.map(m => esc(m.displayName) + (m.role === "SUPERVISOR" ? "★" : "")).join("、")}</td>
          <td>${s.handovers.map(h => `<div class="muted">${esc(h.author)}: ${esc(h.note)}</div>`).join("")}<button class="link" data-handover="${s.id}">${t("写交接", "Handover note")}</button></td></tr>`).join("")}</tbody></table>
        <h3>${t("缺口", "Gaps")}</h3>${roster.gaps.map(g => `<p class="overdue">${fmt.time(g.from)}–${fmt.time(g.to)} · ${esc(missing(g.missing))}</p>`).join("") || `<p class="muted">${t("无缺口。", "No gap.")}</p>`}</section>
        <section class="card">${X.has("hotline-supervisor") ? `<h3>${t("新增班次", "New shift")}</h3><form id="shift">
          <label>${t("开始", "Starts")} <input type="datetime-local" name="startsAt" required></label><label>${t("结束", "Ends")} <input type="datetime-local" name="endsAt" required></label>
          <fieldset><legend>${t("人员", "Staff")}</legend>${[...staff.values()].map(m => `<label class="inline"><input type="checkbox" name="member" value="${esc(m.subject)}"> ${esc(m.displayName)} ${m.role === "SUPERVISOR" ? t("（主管）", "(supervisor)") : ""}</label>`).join("")}</fieldset>
          <button>${t("保存班次", "Save shift")}</button></form>` : ""}<form id="handover" hidden><h3>${t("交接记录", "Handover note")}</h3><textarea name="note" required maxlength="4000"></textarea><button>${t("保存", "Save")}</button></form></section></div>`;
      const shift = el.querySelector("#shift");
      if (shift) shift.onsubmit = e => {
        e.preventDefault();
        const members = [...shift.querySelectorAll("[name=member]:checked")].map(x => { const m = staff.get(x.value); return { subject: m.subject, displayName: m.displayName, role: m.role }; });
        act(shift.querySelector("button"), async () => { await api("hotline", "shifts", { method: "POST", body: { startsAt: X.isoLocal(shift.startsAt.value), endsAt: X.isoLocal(shift.endsAt.value), members } }); X.route.refresh(); });
      };
      const handover = el.querySelector("#handover");
      el.querySelectorAll("[data-handover]").forEach(b => b.onclick = () => { handover.hidden = false; handover.dataset.id = b.dataset.handover; handover.note.focus(); });
      handover.onsubmit = e => {
        e.preventDefault();
        act(handover.querySelector("button"), async () => { await api("hotline", `shifts/${handover.dataset.id}/handover`, { method: "POST", body: { note: handover.note.value } }); X.route.refresh(); });
      };
    },
  });
})();
