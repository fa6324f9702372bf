// What the notification screens share: who has a bell, which organisation a person's rota and log belong to, labels.
import { html } from "../lit.js";
import { t } from "../i18n.js";
import { user, has } from "../shell.js";

export const NOTIFIED = ["school-admin", "school-counselor", "clinician", "bureau-analyst", "hotline-supervisor", "hotline-operator", "platform-admin"];
export const MANAGERS = ["school-admin", "clinician", "bureau-analyst", "hotline-supervisor", "platform-admin"];

/** The organisation whose on-call list and delivery log the person sees: school, hospital, hotline or bureau. */
export function ownOrg() {
  const me = user();
  if (has("school-admin", "school-counselor")) return me.schoolId;
  if (has("clinician")) return me.hospitalId;
  if (has("hotline-supervisor", "hotline-operator")) return "HL" + me.districtCode;
  return me.districtCode;
}

const SEVERITY = { CRITICAL: "危急@severity", HIGH: "重要", NORMAL: "一般" };
export const severity = s => t(SEVERITY[s] || s);
const CLASS = { CRITICAL: "risk-CRITICAL", HIGH: "risk-HIGH", NORMAL: "status" };
export const severityBadge = s => html`<span class=${"badge " + (CLASS[s] || "")}>${severity(s)}</span>`;
const RUNG = { ON_CALL: "值班人员", LEAD: "负责人", BUREAU: "教育局值班" };
export const rung = r => t(RUNG[r] || r);
const STATUS = { PENDING: "待发送", SENDING: "发送中", SENT: "已发送", RETRY: "将重试", FAILED: "失败", UNCERTAIN: "不确定", CANCELLED: "已取消（已确认）" };
export const deliveryStatus = s => t(STATUS[s] || s);
export const CHANNELS = [["EMAIL", "电子邮件"], ["SMS", "短信"], ["WECOM", "企业微信"]];
export const channel = c => { const x = CHANNELS.find(y => y[0] === c); return x ? t(x[1]) : c; };
export const DAYS = [["1", "一"], ["2", "二"], ["3", "三"], ["4", "四"], ["5", "五"], ["6", "六"], ["7", "日"]];
