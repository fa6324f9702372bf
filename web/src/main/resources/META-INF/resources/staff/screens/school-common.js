// What the school's screens share: the roles, the school of the signed-in user, status words.
import { t } from "../i18n.js";
import { api, user } from "../shell.js";

export const SCHOOL = ["school-counselor", "school-admin"];
export const school = () => user().schoolId;
export const uuid = () => crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);

const CASE = { OPEN: "待跟进", FOLLOWING_UP: "跟进中", REFERRED: "已转介", CLOSED: "已结案" };
export const caseStatus = s => CASE[s] ? t(CASE[s]) : s;

const REFERRAL = { requested: "已发送医院", accepted: "医院已接收", "in-progress": "已预约", completed: "已就诊", rejected: "医院已拒绝",
  failed: "未就诊", cancelled: "已取消" };
export const referralStatus = s => s ? (REFERRAL[s] ? t(REFERRAL[s]) : s) : "—";

let hospitals;
/** Partner hospitals by id, for names where screening-service knows only the id. */
export const hospitalNames = async () => hospitals ??= new Map((await api("referral", "hospitals")).map(h => [h.id, h.name]));
