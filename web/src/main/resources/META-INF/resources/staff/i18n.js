// zh-CN first, English when switched. The zh-CN text is the key (as gettext's msgid); its English is in the one
// catalogue, messages.js. A key may carry a context after "@" where one Chinese text has two English ones.
import { MESSAGES } from "./messages.js";

const state = { lang: localStorage.getItem("xq-lang") === "en" ? "en" : "zh" };

export const lang = () => state.lang;

export function setLang(value) {
  state.lang = value === "en" ? "en" : "zh";
  localStorage.setItem("xq-lang", state.lang);
  document.documentElement.lang = state.lang === "en" ? "en" : "zh-CN";
}

/** The text of a catalogue key in the reader's language. */
export function t(key) {
  const zh = key.split("@")[0];
  if (state.lang !== "en") return zh;
  const en = MESSAGES[key];
  return en === undefined ? zh : en;
}

/** A label from a definition the services send in both languages ({zh, en}). */
export const both = v => v ? (state.lang === "en" ? v.en : v.zh) : "";

/** The locale for dates and numbers. */
export const locale = () => state.lang === "en" ? "en-GB" : "zh-CN";

/** A catalogue text with named values filled in: tf("第 {n} 题", {n: 9}). */
export const tf = (key, values) => t(key).replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
