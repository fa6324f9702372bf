"use strict";
// The school counsellor's and school admin's screens: risk queue, referrals and guardian record, campaigns with
// live progress and access-code slips, keyboard-fast paper entry, roster import, mandated activities.
(() => {
  const { t, esc, api, act, route, fmt } = X;
  const SCHOOL = ["school-counselor", "school-admin"];
  const school = () => X.me.schoolId;
  const uuid = () => crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);

  const caseStatus = s => ({ OPEN: t("待跟进", "Open"), FOLLOWING_UP: t("跟进中", "Following up"), REFERRED: t("已转介", "Referred"), CLOSED: t("已结案", "Closed") }[s] || s);
  const referralStatus = s => s ? ({ requested: t("已发送医院", "Sent to hospital"), accepted: t("医院已接收", "Accepted"), "in-progress": t("已预约", "Scheduled"),
    completed: t("已就诊", "Seen"), rejected: t("医院已拒绝", "Declined"), failed: t("未就诊", "No-show"), cancelled: t("已取消", "Cancelled") }[s] || s) : "—";
  const noteKinds = [["FOLLOW_UP", "跟进记录", "Follow-up"], ["GUARDIAN_INFORMED", "已告知监护人", "Guardian informed"], ["GUARDIAN_EXCEPTION", "暂不告知监护人（例外）", "Guardian not informed (exception)"], ["CLOSE", "结案", "Close the case"]];

  // ---- risk queue ----------------------------------------------------------------------------------------------
  let hospitals;
  /** Partner hospitals by id, for names where screening-service knows only the id. */
  const hospitalNames = async () => hospitals ??= new Map((await api("referral", "hospitals")).map(h => [h.id, h.name]));

  route({
    name: "risk", zh: "风险名单", en: "Risk queue", roles: SCHOOL, landing: true,
    async render(el, selected) {
      const [cases, names] = await Promise.all([api("screening", `schools/${school()}/risk-queue`), hospitalNames()]);
      await fmt.reasonsReady(cases.flatMap(c => c.reasons));
      cases.forEach(c => { c.referralHospital = names.get(c.referralHospital) || c.referralHospital; });
      el.innerHTML = `<h2>${t("风险名单", "Risk queue")} <span class="muted">${t("危急在前，最新在前", "critical first, newest first")}</span></h2>
        <div class="cols"><section class="card"><table><thead><tr><th>${t("风险", "Risk")}</th><th>${t("学生", "Student")}</th><th>${t("班级", "Class")}</th>
        <th>${t("原因", "Reasons")}</th><th>${t("跟进", "Follow-up")}</th><th>${t("转介", "Referral")}</th><th>${t("时间", "When")}</th></tr></thead><tbody>${
        cases.map(c => `<tr class="pick" tabindex="0" data-id="${c.id}" aria-selected="${c.id === selected}"><td>${fmt.risk(c.riskLevel)}</td><td>${esc(c.studentName)}<div class="muted">${esc(c.studentNumber)}</div></td>
          <td>${c.grade}${t("年级", "")} ${esc(c.className)}</td><td>${c.reasons.map(fmt.reason).join("<br>")}</td><td>${esc(caseStatus(c.status))}${c.guardianInformed ? `<div class="muted">${t("已告知监护人", "guardian informed")}</div>` : ""}</td>
          <td data-referral><span class="badge status">${esc(referralStatus(c.referralStatus))}</span><div class="muted">${esc(c.referralHospital || "")}</div></td><td>${fmt.time(c.createdAt)}</td></tr>`).join("")
        || `<tr><td colspan="7">${t("暂无需要跟进的学生。", "No student is waiting for follow-up.")}</td></tr>`}</tbody></table></section>
        <section class="card" id="case">${t("选择一名学生查看与记录跟进。", "Choose a student to see and record follow-up.")}</section></div>`;
      el.querySelectorAll("tr.pick").forEach(tr => { tr.onclick = tr.onkeydown = e => { if (e.type === "click" || e.key === "Enter") location.hash = "#/risk/" + tr.dataset.id; }; });
      const c = cases.find(x => x.id === selected);
      if (c) renderCase(el.querySelector("#case"), c);
    },
  });

  function renderCase(box, c) {
    box.innerHTML = `<h3>${esc(c.studentName)} ${fmt.risk(c.riskLevel)}</h3>
      <p class="muted">${esc(c.studentNumber)} · ${c.grade}${t("年级", "")} ${esc(c.className)} · ${esc(caseStatus(c.status))}</p>
      <p>${t("转介", "Referral")}: <strong>${esc(referralStatus(c.referralStatus))}</strong> ${esc(c.referralHospital || "")} ${c.referralUpdatedAt ? `<span class="muted">${fmt.time(c.referralUpdatedAt)}</span>` : ""}
      ${c.referralStatus ? ` · <a href="#/school-referrals">${t("医院反馈与监护人记录", "Hospital feedback and guardian record")}</a>` : ""}</p>
      <h3>${t("跟进记录", "Follow-up notes")}</h3>
      <ol class="history">${c.notes.map(n => `<li>${fmt.time(n.at)} · ${esc((noteKinds.find(k => k[0] === n.kind) || [, n.kind, n.kind])[X.lang === "en" ? 2 : 1])} · ${esc(n.note)} <span class="muted">${esc(n.author)}</span></li>`).join("") || `<li class="muted">${t("暂无", "None yet")}</li>`}</ol>
      <form id="note"><label>${t("类型", "Kind")} <select name="kind">${noteKinds.map(([k, zh, en]) => `<option value="${k}">${t(zh, en)}</option>`).join("")}</select></label>
        <label style="display:flex">${t("内容", "Note")} <textarea name="note" required maxlength="2000"></textarea></label>
        <button>${t("保存记录", "Save note")}</button></form>
      ${c.referralStatus ? "" : `<h3>${t("人工转介", "Refer by hand")}</h3><form id="refer">
        <label>${t("风险等级", "Risk level")} <select name="riskLevel"><option value="HIGH">${X.riskLabel("HIGH")}</option><option value="CRITICAL">${X.riskLabel("CRITICAL")}</option><option value="MODERATE">${X.riskLabel("MODERATE")}</option></select></label>
        <label style="display:flex">${t("转介理由", "Reason")} <textarea name="reason" required maxlength="500"></textarea></label>
        <button class="danger">${t("转介至合作医院", "Refer to the partner hospital")}</button></form>`}`;
    box.querySelector("#note").onsubmit = e => {
      e.preventDefault(); const f = e.target;
      act(f.querySelector("button"), async () => { await api("screening", `risk-queue/${c.id}/notes`, { method: "POST", body: { kind: f.kind.value, note: f.note.value } }); X.route.refresh(); });
    };
    const refer = box.querySelector("#refer");
    if (refer) refer.onsubmit = e => {
      e.preventDefault();
      act(refer.querySelector("button"), async () => { await api("screening", `risk-queue/${c.id}/referral`, { method: "POST", body: { riskLevel: refer.riskLevel.value, reason: refer.reason.value } }); X.route.refresh(); });
    };
  }

  // ---- referrals of the school: hospital feedback, guardian record ------------------------------------------------
  route({
    name: "school-referrals", zh: "转介", en: "Referrals", roles: SCHOOL,
    async render(el) {
      const list = await api("referral", "referrals?limit=200");
      el.innerHTML = `<h2>${t("本校转介", "Our referrals")}</h2><section class="card"><table><thead><tr><th>${t("风险", "Risk")}</th><th>${t("学生", "Student")}</th><th>${t("医院", "Hospital")}</th>
        <th>${t("状态", "Status")}</th><th>${t("预约", "Appointment")}</th><th>${t("医院反馈", "Hospital feedback")}</th><th>${t("监护人", "Guardian")}</th></tr></thead><tbody>${
        list.map(r => `<tr><td>${fmt.risk(r.riskLevel)}</td><td>${esc(r.patient ? r.patient.name : "—")}<div class="muted">${esc(r.patient ? r.patient.className || "" : "")}</div></td><td>${esc(r.hospitalName || r.hospitalId || t("待分配", "unassigned"))}</td>
          <td><span class="badge status">${esc(referralStatus(r.status))}</span></td><td>${fmt.time(r.appointmentAt)}</td><td>${esc(r.feedback || "—")}</td>
          <td>${r.guardian ? esc(r.guardian.kind === "INFORMED" ? t("已告知", "informed") + " " + fmt.time(r.guardian.informedAt) : t("例外", "exception") + " " + (r.guardian.exceptionCode || ""))
            : `<span class="${r.guardianOverdue ? "overdue" : ""}">${t("未记录", "not recorded")}</span> <button class="plain" data-guardian="${r.id}">${t("记录", "Record")}</button>`}</td></tr>`).join("")
        || `<tr><td colspan="7">${t("暂无转介。", "No referral.")}</td></tr>`}</tbody></table></section><section class="card" id="guardian" hidden></section>`;
      el.querySelectorAll("[data-guardian]").forEach(b => b.onclick = () => guardianForm(el.querySelector("#guardian"), b.dataset.guardian));
    },
  });

  function guardianForm(box, id) {
    box.hidden = false;
    box.innerHTML = `<h3>${t("监护人告知记录", "Guardian notification")}</h3><form>
      <label>${t("结果", "Outcome")} <select name="kind"><option value="INFORMED">${t("已告知", "Informed")}</option><option value="EXCEPTION">${t("例外：暂不告知", "Exception: not informed")}</option></select></label>
      <label>${t("时间", "When")} <input type="datetime-local" name="informedAt" value="${X.localInput(new Date())}"></label>
      <label>${t("方式", "Method")} <select name="method">${[["PHONE", "电话", "Phone"], ["IN_PERSON", "面谈", "In person"], ["WECHAT", "微信", "WeChat"], ["LETTER", "书面", "Letter"], ["OTHER", "其他", "Other"]].map(([v, zh, en]) => `<option value="${v}">${t(zh, en)}</option>`).join("")}</select></label>
      <label>${t("例外原因", "Exception reason")} <select name="exceptionCode"><option value=""></option>${[["GUARDIAN_MAY_BE_RISK", "监护人可能是风险来源", "Guardian may be the risk"], ["GUARDIAN_UNREACHABLE", "无法联系监护人", "Guardian unreachable"], ["STUDENT_SAFETY", "学生安全考虑", "Student safety"], ["OTHER", "其他", "Other"]].map(([v, zh, en]) => `<option value="${v}">${t(zh, en)}</option>`).join("")}</select></label>
      <label style="display:flex">${t("说明", "Note")} <textarea name="note" maxlength="2000"></textarea></label><button>${t("保存", "Save")}</button></form>`;
    const f = box.querySelector("form"); f.kind.focus();
    f.onsubmit = e => {
      e.preventDefault();
      const body = { kind: f.kind.value, informedAt: X.isoLocal(f.informedAt.value), method: f.method.value, note: f.note.value || null, exceptionCode: f.exceptionCode.value || null };
      if (body.kind === "EXCEPTION") body.method = null;
      act(f.querySelector("button"), async () => { await api("referral", `referrals/${id}/guardian-notification`, { method: "POST", body }); X.route.refresh(); });
    };
  }

  // ---- campaigns -------------------------------------------------------------------------------------------------
  route({
    name: "campaigns", zh: "筛查活动", en: "Campaigns", roles: SCHOOL,
    async render(el, selected) {
      const [list, instruments] = await Promise.all([api("screening", "campaigns"), api("screening", "instruments")]);
      const id = selected || (list[0] && list[0].id);
      el.innerHTML = `<h2>${t("筛查活动", "Screening campaigns")}</h2><div class="cols"><div id="progress"></div><div>
        <section class="card"><h3>${t("本校活动", "Our campaigns")}</h3><ul>${list.map(c => `<li><a href="#/campaigns/${c.id}" ${c.id === id ? 'aria-current="true"' : ""}>${esc(c.name)}</a>
          <span class="muted">${fmt.date(c.opensAt)} – ${fmt.date(c.closesAt)} · ${c.instruments.join(", ")}</span></li>`).join("") || `<li>${t("暂无", "None yet")}</li>`}</ul></section>
        <section class="card"><h3>${t("新建筛查活动", "New campaign")}</h3><form id="new">
          <label style="display:flex">${t("名称", "Name")} <input name="name" required maxlength="100" placeholder="${t("2026年秋季学期心理健康筛查", "Autumn 2026 screening")}"></label>
          <fieldset><legend>${t("量表", "Instruments")}</legend>${instruments.map(i => `<label class="inline"><input type="checkbox" name="instrument" value="${esc(i.id)}"> ${esc(i.id)} <span class="muted">${esc(X.lang === "en" ? i.title.en : i.title.zh)}</span></label>`).join("")}</fieldset>
          <fieldset><legend>${t("年级", "Grades")}</legend>${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(g => `<label class="inline"><input type="checkbox" name="grade" value="${g}"> ${g}</label>`).join("")}</fieldset>
          <label>${t("开始", "Opens")} <input type="datetime-local" name="opensAt" required value="${X.localInput(new Date())}"></label>
          <label>${t("结束", "Closes")} <input type="datetime-local" name="closesAt" required value="${X.localInput(new Date(Date.now() + 14 * 864e5))}"></label>
          <div><button>${t("创建并生成访问码", "Create and issue access codes")}</button></div></form></section></div></div>`;
      const f = el.querySelector("#new");
      f.onsubmit = e => {
        e.preventDefault();
        const body = { name: f.name.value, instruments: [...f.querySelectorAll("[name=instrument]:checked")].map(x => x.value), grades: [...f.querySelectorAll("[name=grade]:checked")].map(x => +x.value),
          schoolIds: [school()], opensAt: X.isoLocal(f.opensAt.value), closesAt: X.isoLocal(f.closesAt.value) };
        act(f.querySelector("button"), async () => { const c = await api("screening", "campaigns", { method: "POST", body }); location.hash = "#/campaigns/" + c.id; });
      };
      if (id) {
        const box = el.querySelector("#progress");
        const draw = async () => renderProgress(box, list.find(c => c.id === id) || await api("screening", "campaigns/" + id), await api("screening", `campaigns/${id}/progress`));
        await draw();
        X.every(10000, () => draw().catch(X.fail), el);
      }
    },
  });

  async function renderProgress(box, c, p) {
    const rows = p.byClass.filter(r => !r.schoolId || r.schoolId === school());
    box.innerHTML = `<section class="card"><h3>${esc(c.name)} <span class="muted">${t("每 10 秒刷新", "refreshes every 10 s")}</span></h3>
      <p>${t("应筛", "Enrolled")} <strong>${p.enrolled}</strong> · ${t("已提交", "Submitted")} <strong>${p.submitted}</strong> (${fmt.pct(p.submitted, p.enrolled)}) · ${t("线上", "Online")} ${p.online} · ${t("纸质", "Paper")} ${p.paper}</p>
      <div class="meter" aria-hidden="true"><span style="width:${p.enrolled ? 100 * p.submitted / p.enrolled : 0}%"></span></div>
      <table><thead><tr><th>${t("年级", "Grade")}</th><th>${t("班级", "Class")}</th><th class="num">${t("应筛", "Enrolled")}</th><th class="num">${t("已提交", "Submitted")}</th><th>${t("覆盖率", "Coverage")}</th>
        <th class="num">${t("线上", "Online")}</th><th class="num">${t("纸质", "Paper")}</th><th>${t("访问码条", "Code slips")}</th></tr></thead><tbody>${rows.map(r => `<tr><td>${r.grade}</td><td>${esc(r.className)}</td>
        <td class="num">${r.enrolled}</td><td class="num">${r.submitted}</td><td><div class="meter" title="${fmt.pct(r.submitted, r.enrolled)}"><span style="width:${r.enrolled ? 100 * r.submitted / r.enrolled : 0}%"></span></div>${fmt.pct(r.submitted, r.enrolled)}</td>
        <td class="num">${r.online}</td><td class="num">${r.paper}</td>
        <td><a href="/bff/api/screening/campaigns/${c.id}/access-code-slips?schoolId=${school()}&grade=${r.grade}&className=${encodeURIComponent(r.className)}" target="_blank" rel="noopener">PDF</a></td></tr>`).join("")}</tbody></table>
      <div class="bar" style="margin-top:.6rem"><a class="button plain" href="/bff/api/screening/campaigns/${c.id}/access-code-slips?schoolId=${school()}" target="_blank" rel="noopener">${t("打印全部访问码条（PDF）", "Print every code slip (PDF)")}</a>
        <button class="plain" id="issue">${t("为新入学学生补发访问码", "Issue codes to newly enrolled students")}</button>
        <a class="button plain" href="#/paper/${c.id}">${t("纸质问卷录入", "Paper entry")}</a></div><p id="issued" class="muted"></p></section>
      <section class="card"><h3>${t("线上与纸质冲突", "Online / paper conflicts")}</h3><div id="conflicts" class="muted">…</div></section>`;
    box.querySelector("#issue").onclick = e => act(e.target, async () => {
      const r = await api("screening", `campaigns/${c.id}/access-codes`, { method: "POST" });
      box.querySelector("#issued").textContent = t("已补发：", "Issued: ") + r.issued;
    });
    const conflicts = await api("screening", `campaigns/${c.id}/conflicts?schoolId=${school()}`);
    const cbox = box.querySelector("#conflicts");
    cbox.innerHTML = conflicts.length ? conflicts.map(k => `<div class="card"><strong>${esc(k.studentName || k.studentNumber)}</strong> ${esc(k.instrumentId)}
        <table><tbody>${[k.counted, k.conflicting].filter(Boolean).map((s, i) => `<tr><td>${i ? t("冲突的一份", "Conflicting") : t("计入的一份", "Counted")}</td><td>${s.mode === "PAPER" ? t("纸质", "Paper") : t("线上", "Online")}</td><td>${fmt.time(s.submittedAt)}</td><td>${t("总分", "Total")} ${s.totalScore}</td><td>${fmt.risk(s.riskLevel)}</td><td class="muted">${esc(s.answers.join(" "))}</td></tr>`).join("")}</tbody></table>
        <form data-id="${esc(k.conflicting.submissionId)}"><label>${t("说明", "Note")} <input name="note" required maxlength="500"></label>
        <button name="d" value="KEEP" class="plain">${t("保留计入的一份", "Keep the counted one")}</button> <button name="d" value="REPLACE">${t("改用这一份", "Use this one")}</button></form></div>`).join("")
      : t("没有待处理的冲突。", "No conflict to review.");
    cbox.querySelectorAll("form").forEach(f => f.onsubmit = e => {
      e.preventDefault();
      act(e.submitter, async () => { await api("screening", `submissions/${f.dataset.id}/resolution`, { method: "POST", body: { decision: e.submitter.value, note: f.note.value } }); X.route.refresh(); });
    });
  }

  // ---- paper entry: keyboard-fast ----------------------------------------------------------------------------------
  route({
    name: "paper", zh: "纸质录入", en: "Paper entry", roles: SCHOOL,
    async render(el, campaignId) {
      const list = await api("screening", "campaigns");
      if (!list.length) { el.innerHTML = `<p>${t("先创建筛查活动。", "Create a campaign first.")}</p>`; return; }
      const c = list.find(x => x.id === campaignId) || list[0];
      const defs = await Promise.all(c.instruments.map(i => api("screening", "instruments/" + i)));
      el.innerHTML = `<h2>${t("纸质问卷录入", "Paper entry")}</h2>
        <div class="bar"><label>${t("筛查活动", "Campaign")} <select id="camp">${list.map(x => `<option value="${x.id}" ${x.id === c.id ? "selected" : ""}>${esc(x.name)}</option>`).join("")}</select></label>
          <label>${t("量表", "Instrument")} <select id="inst">${defs.map(d => `<option value="${esc(d.id)}">${esc(d.id)}</option>`).join("")}</select></label></div>
        <div class="cols"><section class="card"><form id="entry" autocomplete="off">
          <label>${t("学号", "Student number")} <input name="studentNumber" required maxlength="32" autofocus></label>
          <fieldset class="answers"><legend id="legend"></legend><div id="items"></div></fieldset>
          <button>${t("保存（回车）", "Save (Enter)")}</button> <span class="muted">${t("输入数字自动跳到下一题；Backspace 回到上一题。", "Typing a digit moves to the next item; Backspace goes back.")}</span></form>
          <div id="result" aria-live="polite"></div><h3>${t("本次录入", "Entered this session")}</h3><ol id="done" class="history"></ol></section>
        <section class="card"><h3>${t("批量导入（CSV）", "Bulk upload (CSV)")}</h3><p class="muted">${t("列：studentNumber,instrumentId,a1..aN；同一文件重复上传不会重复计入。", "Columns: studentNumber,instrumentId,a1..aN; uploading the same file again stores nothing new.")}</p>
          <form id="bulk"><input type="file" name="file" accept=".csv,text/csv" required aria-label="CSV"> <button>${t("上传", "Upload")}</button></form><div id="bulk-result"></div></section></div>`;
      el.querySelector("#camp").onchange = e => { location.hash = "#/paper/" + e.target.value; };
      const form = el.querySelector("#entry"), items = el.querySelector("#items"), inst = el.querySelector("#inst");
      const draw = () => {
        const d = defs.find(x => x.id === inst.value);
        const max = it => Math.max(...(it.options || d.options).map(o => o.value));
        el.querySelector("#legend").textContent = `${d.id} · ${X.lang === "en" ? d.title.en : d.title.zh} · ${d.items.length} ${t("题", "items")}`;
        items.innerHTML = d.items.map((it, i) => `<label title="${esc(X.lang === "en" ? it.en : it.zh)}">${it.n}
          <input inputmode="numeric" maxlength="1" pattern="[0-${max(it)}]" data-max="${max(it)}" name="a${i}" ${it.askedWhen === "positive" ? `placeholder="–" title="${t("仅在前面任一题非 0 时作答", "only after a non-zero answer before it")}"` : "required"} aria-label="${t("第", "Item ")}${i + 1}${t("题", "")}"></label>`).join("");
        const inputs = [...items.querySelectorAll("input")];
        inputs.forEach((input, i) => {
          input.oninput = () => {
            input.value = input.value.replace(/[^0-9]/g, "").slice(-1);
            if (input.value !== "" && +input.value > +input.dataset.max) { input.setCustomValidity(t("超出范围", "out of range")); input.reportValidity(); return; }
            input.setCustomValidity("");
            if (input.value !== "") (inputs[i + 1] || form.querySelector("button")).focus();
          };
          input.onkeydown = e => { if (e.key === "Backspace" && input.value === "" && i > 0) { inputs[i - 1].focus(); inputs[i - 1].select(); } };
        });
      };
      inst.onchange = draw; draw();
      form.onsubmit = e => {
        e.preventDefault();
        // a follow-up item left blank (not asked on the form, e.g. ASQ 5 after four "no") is not sent
        const answers = [...items.querySelectorAll("input")].filter(x => x.value !== "" || x.required).map(x => +x.value);
        const body = { campaignId: c.id, instrumentId: inst.value, answers, studentNumber: form.studentNumber.value.trim(), mode: "PAPER", clientSubmissionId: uuid() };
        act(form.querySelector("button"), async () => {
          const r = await api("screening", "submissions", { method: "POST", body });
          el.querySelector("#result").innerHTML = `<p class="ok">${esc(r.studentNumber)} ${esc(r.instrumentId)} · ${t("总分", "total")} ${r.totalScore} · ${esc(fmt.band(defs.find(d => d.id === r.instrumentId), r.band) || "")} · ${fmt.risk(r.riskLevel)} ${r.status === "CONFLICT" ? t("（与已有答卷冲突，待复核）", "(conflicts with an earlier answer: review it)") : ""}</p>`;
          el.querySelector("#done").insertAdjacentHTML("afterbegin", `<li>${esc(r.studentNumber)} ${esc(r.instrumentId)} ${fmt.risk(r.riskLevel)}</li>`);
          form.reset(); form.studentNumber.focus();
        });
      };
      const bulk = el.querySelector("#bulk");
      bulk.onsubmit = e => {
        e.preventDefault();
        act(bulk.querySelector("button"), async () => {
          const r = await api("screening", `campaigns/${c.id}/paper-submissions`, { method: "POST", body: bulk.file.files[0], type: "text/csv" });
          el.querySelector("#bulk-result").innerHTML = `<p class="ok">${t("行数", "Rows")} ${r.rows} · ${t("已保存", "stored")} ${r.stored} · ${t("重复", "replayed")} ${r.replayed} · ${t("冲突", "conflicts")} ${r.conflicts} · ${t("失败", "failed")} ${r.failed}</p>
            <table><thead><tr><th>${t("行", "Line")}</th><th>${t("学号", "Student")}</th><th>${t("量表", "Instrument")}</th><th>${t("结果", "Outcome")}</th><th>${t("风险", "Risk")}</th><th></th></tr></thead><tbody>${
            r.results.map(x => `<tr><td>${x.line}</td><td>${esc(x.studentNumber)}</td><td>${esc(x.instrumentId)}</td><td>${esc(x.outcome)}</td><td>${fmt.risk(x.riskLevel)}</td><td class="field-error">${esc((x.errors || []).join("; "))}</td></tr>`).join("")}</tbody></table>`;
        });
      };
    },
  });

  // ---- roster import -----------------------------------------------------------------------------------------------
  const IMPORT_STATUS = { QUEUED: ["排队中", "Queued"], RUNNING: ["导入中", "Importing"], DONE: ["已完成", "Done"], FAILED: ["失败", "Failed"] };
  route({
    name: "roster", zh: "花名册", en: "Roster", roles: SCHOOL,
    async render(el) {
      el.innerHTML = `<h2>${t("学生花名册导入", "Roster import")}</h2><section class="card">
        <p class="muted">${t("CSV（UTF-8 或 GB18030）或 Excel：学号、姓名、性别、出生日期、年级、班级、监护人姓名、监护人电话。重复导入只更新，不会重复。", "CSV (UTF-8 or GB18030) or Excel: student number, name, sex, birth date, grade, class, guardian name, guardian phone. Importing again updates, never duplicates.")}</p>
        <form id="up"><input type="file" name="file" accept=".csv,.xlsx,text/csv" required aria-label="${t("花名册文件", "Roster file")}"> <button>${t("导入", "Import")}</button></form>
        <div id="job" aria-live="polite"></div></section>`;
      const f = el.querySelector("#up");
      f.onsubmit = e => {
        e.preventDefault();
        const file = f.file.files[0];
        const type = file.name.toLowerCase().endsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv";
        act(f.querySelector("button"), async () => {
          let job = await api("screening", `schools/${school()}/roster-imports`, { method: "POST", body: file, type });
          const box = el.querySelector("#job");
          const draw = j => {
            box.innerHTML = `<p>${esc(IMPORT_STATUS[j.status] ? t(...IMPORT_STATUS[j.status]) : j.status)} · ${j.processedRows} / ${j.totalRows}</p><progress max="${j.totalRows || 1}" value="${j.processedRows}"></progress>
              <p>${t("新增", "Created")} ${j.createdRows} · ${t("更新", "updated")} ${j.updatedRows} · ${t("有错误的行", "rows with errors")} ${j.errorRows}</p>
              ${(j.errors || []).length ? `<table><thead><tr><th>${t("行", "Line")}</th><th>${t("错误", "Error")}</th></tr></thead><tbody>${j.errors.map(x => `<tr><td>${x.line || t("文件", "file")}</td><td class="field-error">${esc(x.errors.join("; "))}</td></tr>`).join("")}</tbody></table>` : ""}`;
          };
          draw(job);
          while (job.status !== "DONE" && job.status !== "FAILED" && el.isConnected) { // the import goes on if the user leaves
            await new Promise(r => setTimeout(r, 500));
            job = await api("screening", "roster-imports/" + job.id); draw(job);
          }
        });
      };
    },
  });

  // ---- mandated activities --------------------------------------------------------------------------------------------
  const kinds = [["LECTURE", "心理健康讲座", "Lecture"], ["GROUP_COUNSELLING", "团体辅导", "Group counselling"], ["TEACHER_TRAINING", "教师培训", "Teacher training"]];
  route({
    name: "activities", zh: "规定活动", en: "Activities", roles: [...SCHOOL, "bureau-analyst"],
    async render(el) {
      const bureau = X.has("bureau-analyst");
      const q = bureau ? "districtCode=" + X.me.districtCode : "schoolId=" + school();
      const list = await api("reporting", "activities?" + q);
      el.innerHTML = `<h2>${t("规定活动", "Mandated activities")} <span class="muted">${t("讲座每学期 ≥ 1，团体辅导每学期 ≥ 4，教师培训全市每年 ≥ 5", "lectures ≥ 1 and group sessions ≥ 4 per semester; teacher trainings ≥ 5 a year city-wide")}</span></h2>
        <div class="cols"><section class="card"><table><thead><tr><th>${t("日期", "Date")}</th><th>${t("类型", "Kind")}</th><th>${t("主题", "Title")}</th><th class="num">${t("人数", "People")}</th><th></th></tr></thead><tbody>${
          list.map(a => `<tr><td>${fmt.date(a.heldOn)}</td><td>${esc((kinds.find(k => k[0] === a.kind) || [, a.kind, a.kind])[X.lang === "en" ? 2 : 1])}</td><td>${esc(a.title)}</td><td class="num">${a.participants}</td>
            <td><button class="link" data-del="${a.id}">${t("删除", "Remove")}</button></td></tr>`).join("") || `<tr><td colspan="5">${t("本学期暂无记录", "Nothing recorded this semester")}</td></tr>`}</tbody></table></section>
        <section class="card"><h3>${t("记录一次活动", "Record an activity")}</h3><form id="add">
          <label>${t("类型", "Kind")} <select name="kind">${kinds.filter(k => bureau ? k[0] === "TEACHER_TRAINING" : true).map(([v, zh, en]) => `<option value="${v}">${t(zh, en)}</option>`).join("")}</select></label>
          <label>${t("日期", "Date")} <input type="date" name="heldOn" required value="${new Date().toISOString().slice(0, 10)}"></label>
          <label style="display:flex">${t("主题", "Title")} <input name="title" required maxlength="200"></label>
          <label>${t("参加人数", "Participants")} <input type="number" name="participants" min="1" max="100000" required></label>
          <div><button>${t("保存", "Save")}</button></div></form></section></div>`;
      el.querySelectorAll("[data-del]").forEach(b => b.onclick = () => act(b, async () => { await api("reporting", "activities/" + b.dataset.del, { method: "DELETE" }); X.route.refresh(); }));
      const f = el.querySelector("#add");
      f.onsubmit = e => {
        e.preventDefault();
        const body = { kind: f.kind.value, heldOn: f.heldOn.value, title: f.title.value, participants: +f.participants.value };
        if (bureau) body.districtCode = X.me.districtCode; else body.schoolId = school();
        act(f.querySelector("button"), async () => { await api("reporting", "activities", { method: "POST", body }); X.route.refresh(); });
      };
    },
  });
})();
