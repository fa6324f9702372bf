"use strict";
// 心桥 staff workspace: the shell every role's screens plug into. Everything goes through the BFF
// (/bff/api/{service}/…): the browser holds only the session cookie, never a token. Each screen registers a route
// with the roles that may see it; the menu shows only those (every service checks again on its own).
const X = (() => {
  const routes = [];
  const timers = new Set();
  const state = { me: null, lang: localStorage.getItem("xq-lang") === "en" ? "en" : "zh" };
  const $ = id => document.getElementById(id);

  /** zh-CN first; English when switched. */
  const t = (zh, en) => state.lang === "en" ? en : zh;

  const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  /** Field names of the APIs as the forms label them (the services' details are English; the page leads in zh-CN). */
  const FIELDS = { answers: "答案", studentNumber: "学号", categories: "来电类别", riskLevel: "风险等级", callerType: "来电人身份",
    note: "说明", notes: "记录", reason: "原因", kind: "类型", heldOn: "日期", participants: "人数", title: "主题", name: "名称",
    grades: "年级", instruments: "量表", opensAt: "开始时间", closesAt: "结束时间", schoolId: "学校代码", appointmentAt: "就诊时间",
    exceptionCode: "例外原因", informedAt: "告知时间", method: "方式", accessCode: "访问码", startsAt: "开始", endsAt: "结束",
    members: "人员", resolution: "处理结果", decision: "处理", districtCode: "区县代码", callerPhone: "来电号码" };
  const STATUS = { 400: ["填写的内容有误", "Please check the form"], 403: ["没有权限", "Not allowed"], 404: ["没有找到", "Not found"],
    409: ["与当前状态冲突，请刷新", "Conflicts with the current state; reload"], 413: ["内容太大", "Too large"],
    415: ["文件类型不对", "Wrong file type"], 422: ["还不能完成，请补充", "Not complete yet"], 429: ["操作太频繁，请稍后再试", "Too many requests; wait a moment"],
    503: ["服务暂时不可用，请稍后重试", "Service unavailable; try again"], 0: ["网络中断，请稍后重试", "The network dropped; try again"] };

  /** An API error carrying the RFC 9457 problem details the service sent, led by a zh-CN (or English) summary. */
  class ApiError extends Error {
    constructor(status, problem) {
      const head = STATUS[status] || (status >= 500 ? ["服务出错，请稍后重试", "Something went wrong; try again"] : null);
      const fields = (problem && problem.errors || []).map(e => `${state.lang === "en" ? "" : (FIELDS[e.field.split(/[.[]/)[0]] || "") + " "}${e.field}: ${e.message}`);
      const detail = problem ? (problem.detail || problem.title) : (status ? "HTTP " + status : null);
      super([head ? t(...head) : null, detail, ...fields].filter(Boolean).join(" · "));
      this.status = status; this.problem = problem || {};
    }
  }

  async function api(service, path, { method = "GET", body, type, keepalive = false } = {}) {
    const headers = { "X-Requested-With": "xinqiao", "Accept": "application/json", "Accept-Language": state.lang === "en" ? "en" : "zh-CN" };
    let payload = body;
    if (body !== undefined && !(body instanceof Blob) && typeof body !== "string") { payload = JSON.stringify(body); headers["Content-Type"] = "application/json"; }
    if (type) headers["Content-Type"] = type;
    let r;
    try { r = await fetch(`/bff/api/${service}/${path}`, { method, headers, body: payload, keepalive }); }
    catch (e) { throw new ApiError(0, null); }
    if (r.status === 499 || r.status === 401) { location.reload(); throw new ApiError(r.status, { detail: t("登录已过期", "Signed out") }); }
    if (r.status === 204) return null;
    const data = await r.json().catch(() => null);
    if (!r.ok) throw new ApiError(r.status, data);
    return data;
  }

  function fail(e) {
    const box = $("error");
    box.textContent = (e && e.message) || String(e);
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }
  function clearError() { $("error").hidden = true; }

  /** Runs an action from a button or form, disabling it meanwhile, and shows the problem if it fails. */
  async function act(button, fn) {
    clearError();
    if (button) button.disabled = true;
    try { return await fn(); } catch (e) { fail(e); return undefined; } finally { if (button) button.disabled = false; }
  }

  /**
   * Every N ms while the screen that asked is shown: cleared on navigation, and never started by a screen the user
   * already left (a render still awaiting its data when the user moved on registers its timer after the clearing).
   */
  function every(ms, fn, screen) {
    const id = setInterval(() => { if (screen.isConnected) fn(); else { clearInterval(id); timers.delete(id); } }, ms);
    timers.add(id);
    return id;
  }

  function has(...roles) { return roles.some(r => state.me.roles.includes(r)); }

  function route(def) { routes.push(def); }
  /** Renders the current screen again (after a change, or a drill-down kept in the screen's own state). */
  route.refresh = () => show();

  const fmt = {
    time: v => v ? new Date(v).toLocaleString(state.lang === "en" ? "en-GB" : "zh-CN", { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }) : "—",
    date: v => v ? String(v).slice(0, 10) : "—",
    risk: v => v ? `<span class="badge risk-${esc(v)}">${esc(riskLabel(v))}</span>` : "—",
    pct: (a, b) => b ? (100 * a / b).toFixed(1) + "%" : "—",
    duration(sec) {
      const s = Math.max(0, Math.round(sec)); const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = s % 60;
      return (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(r).padStart(2, "0");
    },
  };
  // Reasons are worded from the instruments' own definitions (screening-service's, public and cacheable): the band's
  // and the critical item's zh-CN / English text of the version in use, not a copy kept here.
  const instrumentDefs = {}, instrumentLoads = {};
  /** Loads the definitions that these reasons name (once per page), so that reasonText can word them. */
  function reasonsReady(reasons) {
    const ids = [...new Set((reasons || []).map(r => r.instrumentId).filter(Boolean))];
    return Promise.all(ids.map(id => instrumentLoads[id] ??= api("screening", "instruments/" + encodeURIComponent(id))
      .then(d => { instrumentDefs[id] = d; }, () => { delete instrumentLoads[id]; }))); // unreachable: the codes, and try next time
  }
  const CODED = { "COUNSELOR:assessment": ["心理教师评估", "counsellor's assessment"], "HOTLINE:asq-acute-positive": ["热线：此刻有自杀念头", "hotline: thoughts of suicide right now"] };
  /** A band of this instrument definition in words (its id if the definition does not name it). */
  function bandText(def, id) {
    const band = def && def.bands.find(b => b.id === id);
    return band ? t(band.zh, band.en) : id;
  }
  /** One referral or risk-case reason as a clinician or counsellor reads it: instrument, total, band, which critical item. */
  function reasonText(r) {
    if (!r.instrumentId) {
      const c = CODED[r.code];
      return esc(c ? t(...c) : String(r.code || "").replace(/^HOTLINE:/, t("热线：", "hotline: ")));
    }
    const def = instrumentDefs[r.instrumentId];
    const critical = def && def.criticalItems.find(c => String(r.code || "").endsWith(":" + c.code));
    const item = critical && def.items.find(i => i.n === critical.item);
    return esc([r.instrumentId + (r.totalScore != null ? " " + t("总分 ", "total ") + r.totalScore : ""),
      bandText(def, r.band),
      item ? t(`第 ${item.n} 题阳性：${item.zh}`, `item ${item.n} positive: ${item.en}`) : r.criticalItem ? t("关键条目阳性", "critical item positive") : null]
      .filter(Boolean).join(" · "));
  }
  fmt.reason = reasonText;
  fmt.reasonsReady = reasonsReady;
  fmt.band = bandText;

  function riskLabel(v) {
    return { CRITICAL: t("危急", "Critical"), HIGH: t("高风险", "High"), MODERATE: t("中风险", "Moderate"), LOW: t("低风险", "Low"), NONE: t("无", "None") }[v] || v;
  }

  /** A datetime-local value (local time) as an ISO instant with offset, for the APIs. */
  function isoLocal(value) { return value ? new Date(value).toISOString() : null; }
  function localInput(date) { const d = new Date(date - new Date().getTimezoneOffset() * 60000); return d.toISOString().slice(0, 16); }

  function current() {
    const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
    return { name, params: rest.map(decodeURIComponent) };
  }

  function allowed() { return routes.filter(r => has(...r.roles)); }

  function menu(active) {
    $("menu").innerHTML = allowed().filter(r => r.menu !== false).map(r =>
      `<a href="#/${r.name}" ${r.name === active ? 'aria-current="page"' : ""}>${esc(t(r.zh, r.en))}</a>`).join("");
  }

  async function show() {
    timers.forEach(clearInterval); timers.clear();
    clearError();
    const { name, params } = current();
    const mine = allowed();
    const r = mine.find(x => x.name === name);
    if (!r) {
      if (mine.length) { location.replace("#/" + (mine.find(x => x.landing) || mine[0]).name); return; }
      menu(null);
      $("view").innerHTML = `<p>${t("你的角色暂无可用的页面。", "Your role has no pages here.")}</p>`;
      return;
    }
    menu(r.menu === false ? r.parent : r.name);
    document.title = `${t(r.zh, r.en)} · 心桥`;
    // Each render gets its own box. A render awaits its data; if the user moves on meanwhile (a tab clicked while the
    // first report loads), the late answer lands in a box no longer shown instead of over the newer screen.
    const screen = document.createElement("div");
    screen.innerHTML = `<p class="muted">${t("加载中…", "Loading…")}</p>`;
    $("view").replaceChildren(screen);
    try { await r.render(screen, ...params); } catch (e) { if (screen.isConnected) { screen.innerHTML = ""; fail(e); } }
  }

  async function start() {
    const r = await fetch("/bff/me", { headers: { "X-Requested-With": "xinqiao" } });
    if (!r.ok) { location.reload(); return; }
    state.me = await r.json();
    state.me.roles = state.me.roles.filter(x => !x.startsWith("default-") && !["offline_access", "uma_authorization"].includes(x));
    const label = () => {
      document.documentElement.lang = state.lang === "en" ? "en" : "zh-CN";
      $("lang").textContent = state.lang === "en" ? "中文" : "English";
      $("logout").textContent = t("退出", "Sign out");
      $("who").textContent = (state.me.name || state.me.username) + " · " + state.me.roles.join(", ");
    };
    $("lang").onclick = () => { state.lang = state.lang === "en" ? "zh" : "en"; localStorage.setItem("xq-lang", state.lang); label(); show(); };
    label();
    window.addEventListener("hashchange", show);
    show();
  }

  return { t, esc, api, act, fail, clearError, every, has, route, fmt, riskLabel, isoLocal, localInput, start, get me() { return state.me; }, get lang() { return state.lang; }, ApiError };
})();
