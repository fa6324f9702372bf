// 心桥 staff workspace: the shell every role's screens plug into. Everything goes through the BFF
// (/bff/api/{service}/…): the browser holds only the session cookie, never a token. Each screen registers a route
// with the roles that may see it; the menu shows only those (every service checks again on its own).
import { html, render } from "./lit.js";
import { t, lang, setLang } from "./i18n.js";

const routes = [];
const timers = new Set();
let me = null;
const $ = id => document.getElementById(id);

/** The signed-in user as the BFF read them from the token: name, roles, schoolId, districtCode, hospitalId. */
export const user = () => me;

/** Field names of the APIs as the forms label them. */
const FIELDS = { answers: "答案", studentNumber: "学号", categories: "来电类别", riskLevel: "风险等级", callerType: "来电人身份",
  note: "说明", notes: "记录@notes", reason: "原因", kind: "类型", heldOn: "日期", participants: "人数", title: "主题", name: "名称",
  grades: "年级@grades", instruments: "量表@instruments", opensAt: "开始时间", closesAt: "结束时间", schoolId: "学校代码", appointmentAt: "就诊时间",
  exceptionCode: "例外原因", informedAt: "告知时间", method: "方式", accessCode: "访问码", startsAt: "开始@starts", endsAt: "结束@ends",
  members: "人员", resolution: "处理结果", decision: "处理", districtCode: "区县代码", callerPhone: "来电号码" };
const STATUS = { 400: "填写的内容有误", 403: "没有权限", 404: "没有找到", 409: "与当前状态冲突，请刷新", 413: "内容太大", 415: "文件类型不对",
  422: "还不能完成，请补充", 429: "操作太频繁，请稍后再试", 503: "服务暂时不可用，请稍后重试", 0: "网络中断，请稍后重试" };

/** An API error carrying the RFC 9457 problem details the service sent (in the page's language), led by a summary. */
export class ApiError extends Error {
  constructor(status, problem) {
    const head = STATUS[status] ?? (status >= 500 ? "服务出错，请稍后重试" : null);
    const fields = (problem && problem.errors || []).map(e => {
      const label = FIELDS[e.field.split(/[.[]/)[0]];
      return `${label ? t(label) + " " : ""}${e.field}: ${e.message}`;
    });
    const detail = problem ? (problem.detail || problem.title) : (status ? "HTTP " + status : null);
    super([head ? t(head) : null, detail, ...fields].filter(Boolean).join(" · "));
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(service, path, { method = "GET", body, type, keepalive = false } = {}) {
  const headers = { "X-Requested-With": "xinqiao", "Accept": "application/json", "Accept-Language": lang() === "en" ? "en" : "zh-CN" };
  let payload = body;
  if (body !== undefined && !(body instanceof Blob) && typeof body !== "string") {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  if (type) headers["Content-Type"] = type;
  let r;
  try {
    r = await fetch(`/bff/api/${service}/${path}`, { method, headers, body: payload, keepalive });
  } catch (e) {
    throw new ApiError(0, null);
  }
  if (r.status === 499 || r.status === 401) {
    location.reload();
    throw new ApiError(r.status, { detail: t("登录已过期") });
  }
  if (r.status === 204) return null;
  const data = await r.json().catch(() => null);
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

export function fail(e) {
  const box = $("error");
  box.textContent = (e && e.message) || String(e);
  box.hidden = false;
  box.scrollIntoView({ block: "nearest" });
}

export function clearError() { $("error").hidden = true; }

/** Runs an action from a button or form, disabling it meanwhile, and shows the problem if it fails. */
export async function act(button, fn) {
  clearError();
  if (button) button.disabled = true;
  try { return await fn(); } catch (e) { fail(e); return undefined; } finally { if (button) button.disabled = false; }
}

/**
 * Every N ms while the screen that asked is shown: cleared on navigation, and never started by a screen the user
 * already left (a render still awaiting its data when the user moved on registers its timer after the clearing).
 */
export function every(ms, fn, screen) {
  const id = setInterval(() => { if (screen.isConnected) fn(); else { clearInterval(id); timers.delete(id); } }, ms);
  timers.add(id);
  return id;
}

export function has(...roles) { return roles.some(r => me.roles.includes(r)); }

/** Registers a screen: {name, title (catalogue key), roles, landing? (true, or the roles it is the landing of), menu?, render(box, ...params)}. */
export function route(def) { routes.push(def); }

/** Renders the current screen again (after a change, or a drill-down kept in the screen's own state). */
export const refresh = () => show();

/** Opens a screen by its hash route. */
export const go = (...parts) => { location.hash = "#/" + parts.map(encodeURIComponent).join("/"); };

function current() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  return { name, params: rest.map(decodeURIComponent) };
}

const allowed = () => routes.filter(r => has(...r.roles));

function menu(active) {
  render(allowed().filter(r => r.menu !== false).map(r =>
    html`<a href="#/${r.name}" aria-current=${r.name === active ? "page" : "false"}>${t(r.title)}</a>`), $("menu"));
}

async function show() {
  timers.forEach(clearInterval);
  timers.clear();
  clearError();
  const { name, params } = current();
  const mine = allowed();
  const r = mine.find(x => x.name === name);
  if (!r) {
    if (mine.length) { location.replace("#/" + (mine.find(x => x.landing === true || Array.isArray(x.landing) && has(...x.landing)) || mine[0]).name); return; }
    menu(null);
    const none = document.createElement("div");
    render(html`<p>${t("你的角色暂无可用的页面。")}</p>`, none);
    $("view").replaceChildren(none);
    return;
  }
  menu(r.menu === false ? r.parent : r.name);
  document.title = `${t(r.title)} · 心桥`;
  // Each render gets its own box. A render awaits its data; if the user moves on meanwhile (a tab clicked while the
  // first report loads), the late answer lands in a box no longer shown instead of over the newer screen.
  const screen = document.createElement("div");
  render(html`<p class="muted">${t("加载中…")}</p>`, screen);
  $("view").replaceChildren(screen);
  try {
    await r.render(screen, ...params);
  } catch (e) {
    if (screen.isConnected) { render(html``, screen); fail(e); }
  }
}

function label() {
  $("lang").textContent = lang() === "en" ? "中文" : "English";
  $("logout").textContent = t("退出");
  $("who").textContent = (me.name || me.username) + " · " + me.roles.join(", ");
}

export async function start() {
  const r = await fetch("/bff/me", { headers: { "X-Requested-With": "xinqiao" } });
  if (!r.ok) { location.reload(); return; }
  me = await r.json();
  me.roles = me.roles.filter(x => !x.startsWith("default-") && !["offline_access", "uma_authorization"].includes(x));
  setLang(lang());
  $("lang").onclick = () => { setLang(lang() === "en" ? "zh" : "en"); label(); show(); };
  label();
  window.addEventListener("hashchange", show);
  show();
}
