// What the hotline's screens share: roles, the category taxonomy, the option lists and the risk questions.
import { t } from "../i18n.js";
import { api } from "../shell.js";

export const HOTLINE = ["hotline-operator", "hotline-supervisor"];

let taxonomy;
export const categories = async () => taxonomy ??= await api("hotline", "taxonomy");

export const CHANNELS = [["PHONE", "电话"], ["WECHAT", "微信"], ["ONLINE_CHAT", "网上咨询"]];
export const CALLERS = [["", ""], ["STUDENT", "学生本人"], ["PARENT", "家长"], ["TEACHER", "教师"], ["OTHER", "其他"]];
export const AGES = [["", ""], ["UNDER_10", "10岁以下"], ["10_12", "10–12岁"], ["13_15", "13–15岁"], ["16_18", "16–18岁"], ["ADULT", "成年"], ["UNKNOWN", "不详"]];
export const SEXES = [["", ""], ["MALE", "男"], ["FEMALE", "女"], ["UNKNOWN", "不详"]];
export const DISTRESS = [["", ""], ["NONE", "无@distress"], ["MILD", "轻度"], ["MODERATE", "中度"], ["SEVERE", "重度"]];
export const LEVELS = ["NONE", "LOW", "MODERATE", "HIGH", "CRITICAL"];
export const ACTIONS = [["COUNSELLING", "心理疏导"], ["SAFETY_PLAN", "安全计划"], ["EMERGENCY_SERVICES", "联系急救/警方"], ["REFERRAL", "转介@action"],
  ["FOLLOW_UP_SCHEDULED", "约定回访"], ["INFORMATION", "信息咨询"]];
export const QUESTIONS = [["wishedDead", "最近几周，你是否希望自己死了？"], ["betterOffDead", "最近几周，你是否觉得如果你死了，你或你的家人会更好？"],
  ["suicidalThoughts", "最近一周，你是否有过想要自杀的念头？"], ["triedBefore", "你是否曾经尝试过自杀？"], ["thoughtsNow", "（任一为“是”时）你现在有想要自杀的念头吗？"]];
export const RESOLUTIONS = [["EMERGENCY_SERVICES", "已联系急救/警方"], ["CALLER_SAFE", "来电人已安全"], ["IDENTIFIED_AND_REFERRED", "已确认身份并转介"],
  ["LOST_CONTACT", "失去联系"], ["OTHER", "其他"]];

const MISSING = { SUPERVISOR: "缺主管", OPERATOR: "缺接线员" };
export const missing = m => MISSING[m] ? t(MISSING[m]) : m;
export const supervisorMark = m => m.role === "SUPERVISOR" ? t("（主管）") : "";
