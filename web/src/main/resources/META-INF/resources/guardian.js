"use strict";
// The guardian's consent page. The code comes from the link's fragment (#CODE: never sent to any server or log)
// or is typed; it goes to the BFF in a request body. Nothing is stored in the browser.
const T = {
  zh: {}, en: {
    brand: "Xinqiao · Guardian consent", codeLabel: "Enter the code from the school's message", open: "Read the consent notice",
    grant: "I have read it and agree that my child takes part", decline: "I do not agree", withdraw: "Withdraw my consent",
    hotline: "If your child or family needs help, call the 24-hour support line <a class=\"hotline-tel\" href=\"tel:12356\"><strong class=\"hotline-number\">12356</strong></a>; in an emergency call <span class=\"emergency-numbers\"><a href=\"tel:110\"><strong>110</strong></a> / <a href=\"tel:120\"><strong>120</strong></a></span>."
  }
};
document.querySelectorAll("[data-t]").forEach(el => T.zh[el.dataset.t] = el.innerHTML);
const say = {
  zh: { who: v => `${v.schoolName} · ${v.grade} 年级 ${v.className} · ${v.student} · ${v.schoolYear} 学年`, version: v => `知情同意书第 ${v} 版`,
        GRANTED: "您已同意孩子参加本学年的心理健康测评。您可以随时在此撤回。", DECLINED: "您已选择不同意。孩子不会参加本学年的测评，这不会对孩子有任何影响。",
        WITHDRAWN: "您已撤回同意。孩子不再参加测评，学校将删除本学年的测评数据（为保障孩子安全、正在进行中的转介所需信息除外）。",
        bad: "链接码无效，请核对学校发送的链接。", busy: "尝试次数过多，请稍后再试。", confirmWithdraw: "确定撤回同意吗？撤回后孩子本学年的测评答案将被删除。" },
  en: { who: v => `${v.schoolName} · grade ${v.grade} ${v.className} · ${v.student} · school year ${v.schoolYear}`, version: v => `Consent notice, version ${v}`,
        GRANTED: "You agreed that your child takes part this school year. You may withdraw here at any time.",
        DECLINED: "You chose not to agree. Your child will not take part this school year, and nothing follows from that.",
        WITHDRAWN: "You withdrew your consent. Your child no longer takes part; the school deletes this year's answers (except what a referral already under way needs for your child's safety).",
        bad: "This code is not valid; please check the school's message.", busy: "Too many attempts; please try again later.",
        confirmWithdraw: "Withdraw your consent? This year's answers of your child will be deleted." }
};
let lang = "zh", code = null, view = null;
const $ = id => document.getElementById(id);

function applyLang() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach(el => el.innerHTML = T[lang][el.dataset.t]);
  $("lang").textContent = lang === "zh" ? "EN" : "中文";
  if (view) render();
  fillHelpLines();
}
$("lang").onclick = () => { lang = lang === "zh" ? "en" : "zh"; applyLang(); };

async function call(url, body) {
  const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "omit" });
  let data = null;
  try { data = await r.json(); } catch (e) { /* empty */ }
  return { ok: r.ok, status: r.status, data };
}
function problem(r) {
  if (r.status === 404) return say[lang].bad;
  if (r.status === 429) return say[lang].busy;
  const d = (r.data && (r.data.detail || r.data.title)) || ("HTTP " + r.status);
  const parts = d.split(" / ");  // screening's problems read "English / 中文"
  return (lang === "zh" ? parts[parts.length - 1] : parts[0]).trim();
}

async function open(typed) {
  $("enter-error").hidden = true;
  const r = await call("/bff/student/guardian/lookup", { code: typed });
  if (!r.ok) { $("enter-error").textContent = problem(r); $("enter-error").hidden = false; $("enter").hidden = false; return; }
  code = typed; view = r.data;
  $("enter").hidden = true; $("consent").hidden = false;
  render();
}
function render() {
  $("who").textContent = say[lang].who(view);
  $("title").textContent = view.notice.title;
  $("body").textContent = view.notice.body;
  $("version").textContent = say[lang].version(view.notice.version);
  $("state").hidden = !view.decision;
  if (view.decision) $("state").textContent = say[lang][view.decision];
  $("grant").hidden = !view.mayGrant;
  $("decline").hidden = !view.mayDecline;
  $("withdraw").hidden = !view.mayWithdraw;
}
async function decide(decision) {
  if (decision === "WITHDRAWN" && !confirm(say[lang].confirmWithdraw)) return;
  $("consent-error").hidden = true;
  const r = await call("/bff/student/guardian/decision", { code, decision, noticeVersion: view.notice.version });
  if (!r.ok) { $("consent-error").textContent = problem(r); $("consent-error").hidden = false; return; }
  await open(code);
}
$("grant").onclick = () => decide("GRANTED");
$("decline").onclick = () => decide("DECLINED");
$("withdraw").onclick = () => decide("WITHDRAWN");
$("code-form").onsubmit = e => { e.preventDefault(); const typed = $("code").value.trim(); if (typed) open(typed); };

const fromLink = decodeURIComponent(location.hash.slice(1));
if (fromLink) { history.replaceState(null, "", location.pathname); open(fromLink); }
