"use strict";
// All state that must survive a dropped connection or a reload lives in sessionStorage (this tab only,
// gone when it closes); the student token never does: it is an HttpOnly cookie the BFF adds to its calls.
const T = {
  zh: {}, en: {
    brand: "Xinqiao · Wellbeing questionnaire", codeLabel: "Enter the access code from your teacher",
    codeHelp: "The code is yours alone; please keep it to yourself.", birthLabel: "Your birth date",
    birthHelp: "As on your school record, e.g. 2010-03-04.", start: "Start", back: "‹ Back", send: "Submit",
    thanks: "Thank you for answering!", hotline: "If you need to talk or feel unsafe, call the 24-hour support line <a class=\"hotline-tel\" href=\"tel:12356\"><strong class=\"hotline-number\">12356</strong></a>; in an emergency call <span class=\"emergency-numbers\"><a href=\"tel:110\"><strong>110</strong></a> / <a href=\"tel:120\"><strong>120</strong></a></span>.",
    receipt: "Your answers are safely in. If you are feeling sad or stressed, that is normal and you are not alone: talk to a teacher or parent you trust; the school counsellor is always glad to see you."
  }
};
document.querySelectorAll("[data-t]").forEach(el => T.zh[el.dataset.t] = el.innerHTML);
const say = {
  zh: { question: (i, n) => `第 ${i} / ${n} 题`, saved: "网络不稳定：答案已保存在本机，恢复后请再点提交。", ready: "全部答完了，请点“提交”。",
        bad: "访问码或出生日期不正确，请向老师核对。", birth: "请填写你的出生日期。", locked: "此访问码因多次输错出生日期已锁定，请找老师重新领取。", ended: "筛查不在开放时间内。", busy: "尝试次数过多，请稍后再试。", again: "登录已过期，请重新输入访问码。", next: "下一份问卷",
        guardian: "本问卷请家长填写：请根据孩子的日常表现作答。" },
  en: { question: (i, n) => `Question ${i} of ${n}`, saved: "Connection lost: your answers are kept on this device; press Submit again when you are back online.",
        ready: "All answered. Press Submit.", bad: "The access code or the birth date is not right; check them with your teacher.",
        birth: "Please fill in your birth date.", locked: "This code was locked after too many wrong birth dates; ask your teacher for a new one.", ended: "The screening is not open.",
        busy: "Too many attempts; please try again later.", again: "Your session has expired; please enter your access code again.", next: "Next questionnaire",
        guardian: "This questionnaire is for a parent: answer about your child." }
};
let lang = sessionStorage.getItem("xq.lang") || "zh";
const $ = id => document.getElementById(id);
const store = { get: k => JSON.parse(sessionStorage.getItem(k) || "null"), set: (k, v) => sessionStorage.setItem(k, JSON.stringify(v)), del: k => sessionStorage.removeItem(k) };
let session = store.get("xq.session"), instrument = null, answers = [], at = 0;

function applyLang() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach(el => el.innerHTML = T[lang][el.dataset.t]);
  $("lang").textContent = lang === "zh" ? "EN" : "中文";
  if (instrument) render();
  fillHelpLines();
}
$("lang").onclick = () => { lang = lang === "zh" ? "en" : "zh"; sessionStorage.setItem("xq.lang", lang); applyLang(); };

function show(id) { for (const s of ["login", "quiz", "done"]) $(s).hidden = s !== id; }
function problemText(p, status) {
  if (status === 401 && p && String(p.type || "").includes("invalid-access-code")) return say[lang].bad;
  if (status === 401) return say[lang].again;
  if (status === 423) return say[lang].locked;
  if (status === 400 && p && String(p.type || "").includes("birth-date")) return say[lang].birth;
  if (status === 429) return say[lang].busy;
  if (status === 403 && p && String(p.type || "").includes("consent") && p.detail) {
    const parts = p.detail.split("/ ");  // "中文… / English…": a guardian's decision, said kindly in the reader's language
    return lang === "zh" || parts.length < 2 ? parts[0].trim() : parts.slice(1).join("/ ").trim();
  }
  if (status === 409) return say[lang].ended;
  return (p && (p.detail || p.title)) || ("HTTP " + status);
}
async function call(method, url, body) {
  const r = await fetch(url, { method, headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined, credentials: "same-origin" });
  let data = null;
  try { data = await r.json(); } catch (e) { /* empty body */ }
  return { ok: r.ok, status: r.status, data };
}

$("code-form").onsubmit = async e => {
  e.preventDefault();
  const code = $("code").value.trim(), birthDate = $("birth").value;
  $("login-error").hidden = true;
  if (!code) { $("code").focus(); return; }
  if (!birthDate) { $("login-error").textContent = say[lang].birth; $("login-error").hidden = false; $("birth").focus(); return; }
  try {
    const r = await call("POST", "/bff/student/session", { accessCode: code, birthDate });
    const consent = r.status === 403 && String((r.data || {}).type || "").includes("consent");
    $("login-error").className = consent ? "notice" : "error"; // not an error of the student's: a decision, told gently
    if (!r.ok) { $("login-error").textContent = problemText(r.data, r.status); $("login-error").hidden = false; return; }
    session = r.data; store.set("xq.session", session);
    $("code").value = ""; $("birth").value = "";
    next();
  } catch (err) { $("login-error").textContent = say[lang].saved; $("login-error").hidden = false; }
};

async function next() {
  const todo = session.instruments.filter(i => !session.completed.includes(i));
  if (!todo.length) { show("done"); return; }
  const id = todo[0];
  const version = session.instrumentVersions && session.instrumentVersions[id];
  const r = await call("GET", "/bff/student/instruments/" + encodeURIComponent(id) + (version ? "?version=" + encodeURIComponent(version) : ""));
  if (!r.ok) { $("quiz-error").textContent = problemText(r.data, r.status); $("quiz-error").hidden = false; return; }
  instrument = r.data;
  const kept = store.get("xq.answers." + session.campaignId + "." + id);
  answers = kept ? kept.answers : new Array(instrument.items.length).fill(null);
  at = answers.findIndex((a, i) => a === null && asked(i)); // resume at the first unanswered question
  if (at < 0) at = answers.reduce((last, _, i) => asked(i) ? i : last, 0);
  show("quiz"); render();
}

function keep() {
  const key = "xq.answers." + session.campaignId + "." + instrument.id;
  const kept = store.get(key) || { clientSubmissionId: crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random() };
  kept.answers = answers; store.set(key, kept);
  return kept;
}

// A follow-up item (askedWhen "positive", e.g. ASQ question 5) is asked only after a non-zero answer before it.
function asked(i) {
  return instrument.items[i].askedWhen !== "positive" || answers.slice(0, i).some(a => a !== null && a !== 0);
}
function askedCount() { return instrument.items.filter((_, i) => asked(i)).length; }
// what is sent: the answers to the items asked (follow-ups come last, so nothing shifts)
function given() { return answers.filter((_, i) => asked(i)); }

function render() {
  const n = askedCount(), item = instrument.items[at];
  $("quiz-title").textContent = instrument.title[lang];
  $("instructions").textContent = (instrument.respondent === "GUARDIAN" ? say[lang].guardian + " " : "") + instrument.instructions[lang];
  const doneCount = given().filter(a => a !== null).length;
  $("bar").firstElementChild.style.width = (100 * doneCount / n) + "%";
  $("bar").setAttribute("aria-valuenow", Math.round(100 * doneCount / n));
  $("count").textContent = say[lang].question(at + 1, n);
  $("question").textContent = item[lang];
  const box = $("options"); box.innerHTML = "";
  (item.options && item.options.length ? item.options : instrument.options).forEach(o => {
    const b = document.createElement("button");
    b.type = "button"; b.textContent = o[lang]; b.setAttribute("aria-pressed", String(answers[at] === o.value));
    b.onclick = () => {
      answers[at] = o.value; keep();
      if (at + 1 < instrument.items.length && asked(at + 1)) { at++; render(); $("question").focus(); } else render();
    };
    box.appendChild(b);
  });
  $("back").hidden = at === 0;
  const complete = given().every(a => a !== null);
  $("send").hidden = !complete;
  $("saved").hidden = !complete || !$("saved").dataset.offline;
  if (complete && !$("saved").dataset.offline) { $("saved").textContent = say[lang].ready; $("saved").hidden = false; }
}
$("back").onclick = () => { if (at > 0) { at--; render(); } };

$("send").onclick = async () => {
  const kept = keep();
  $("send").disabled = true; $("quiz-error").hidden = true;
  try {
    const r = await call("POST", "/bff/student/submissions", { campaignId: session.campaignId, instrumentId: instrument.id, answers: given(), clientSubmissionId: kept.clientSubmissionId });
    if (!r.ok) {
      if (r.status === 503) throw new Error("offline");
      $("quiz-error").textContent = problemText(r.data, r.status); $("quiz-error").hidden = false;
      if (r.status === 401) { store.del("xq.session"); show("login"); }
      return;
    }
    // the server has it: only now forget the local copy
    store.del("xq.answers." + session.campaignId + "." + instrument.id);
    delete $("saved").dataset.offline;
    session.completed.push(instrument.id); store.set("xq.session", session);
    $("receipt-id").textContent = (lang === "zh" ? "回执编号 " : "Receipt ") + (r.data.submissionId || "").slice(-8); // the id's random end: its start is the time (UUID v7), alike for a whole class
    instrument = null; next();
  } catch (err) {
    $("saved").dataset.offline = "1"; $("saved").textContent = say[lang].saved; $("saved").hidden = false;
  } finally { $("send").disabled = false; }
};

applyLang();
if (session) next(); else show("login");
