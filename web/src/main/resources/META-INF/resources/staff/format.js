// How values read on every screen: times, risk badges, durations, and the reasons of a referral or risk case worded
// from the instruments' own definitions (screening-service's, public and cacheable), not a copy kept here.
import { html } from "./lit.js";
import { t, tf, both, locale } from "./i18n.js";
import { api } from "./shell.js";

export const time = v => v ? new Date(v).toLocaleString(locale(), { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }) : "—";
export const date = v => v ? String(v).slice(0, 10) : "—";
export const pct = (a, b) => b ? (100 * a / b).toFixed(1) + "%" : "—";

export function duration(sec) {
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = s % 60;
  return (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(r).padStart(2, "0");
}

const RISK = { CRITICAL: "危急", HIGH: "高风险", MODERATE: "中风险", LOW: "低风险", NONE: "无@risk" };
export const riskLabel = v => RISK[v] ? t(RISK[v]) : v;
export const risk = v => v ? html`<span class="badge risk-${v}">${riskLabel(v)}</span>` : "—";

/** A datetime-local value (local time) as an ISO instant with offset, for the APIs. */
export const isoLocal = value => value ? new Date(value).toISOString() : null;
/** A date as a datetime-local input's value. */
export function localInput(d) {
  const local = new Date(d - new Date().getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 16);
}

/** Options of a select from [value, catalogue key] pairs. */
export const options = (list, selected) => list.map(([v, key]) => html`<option value=${v} ?selected=${v === selected}>${key ? t(key) : "—"}</option>`);

const definitions = {}, loads = {};
/** Loads the instrument definitions that these reasons name (once per page), so that reason() can word them. */
export function reasonsReady(reasons) {
  const ids = [...new Set((reasons || []).map(r => r.instrumentId).filter(Boolean))];
  return Promise.all(ids.map(id => loads[id] ??= api("screening", "instruments/" + encodeURIComponent(id))
    .then(d => { definitions[id] = d; }, () => { delete loads[id]; }))); // unreachable: the codes, and try next time
}

const CODED = { "COUNSELOR:assessment": "心理教师评估", "HOTLINE:asq-acute-positive": "热线：此刻有自杀念头",
  "DAILY_WORK:DAILY_WORK": "日常工作发现", "DAILY_WORK:TEACHER_REPORT": "日常工作：教师报告", "DAILY_WORK:PARENT_REPORT": "日常工作：家长反映",
  "DAILY_WORK:PEER_REPORT": "日常工作：同学反映", "DAILY_WORK:HOTLINE": "日常工作：热线", "HOSPITAL_RETURN": "医院出院返校" };

/** An instrument definition that reasonsReady() has loaded (undefined before). */
export const definition = id => definitions[id];

/** A band of this instrument definition in words (its id if the definition does not name it). */
export function band(def, id) {
  const b = def && def.bands.find(x => x.id === id);
  return b ? both(b) : id;
}

/** One referral or risk-case reason as a clinician or counsellor reads it: instrument, total, band, which critical item. */
export function reason(r) {
  if (!r.instrumentId) {
    const coded = CODED[r.code];
    return coded ? t(coded) : String(r.code || "").replace(/^HOTLINE:/, t("热线："));
  }
  const def = definitions[r.instrumentId];
  const critical = def && def.criticalItems.find(c => String(r.code || "").endsWith(":" + c.code));
  const item = critical && def.items.find(i => i.n === critical.item);
  return [r.instrumentId + (r.totalScore != null ? " " + t("总分") + " " + r.totalScore : ""),
    band(def, r.band),
    item ? tf("第 {n} 题阳性：", { n: item.n }) + both(item) : r.criticalItem ? t("关键条目阳性") : null]
    .filter(Boolean).join(" · ");
}

/** Reasons, one per line. */
export const reasons = list => (list || []).map((r, i) => html`${i ? html`<br>` : ""}${reason(r)}`);
