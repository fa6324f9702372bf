// Where the signed-in user's reports start (their district or school) and the campaigns under an area.
import { api, has, user } from "../shell.js";

export const BUREAU = ["bureau-analyst", "platform-admin", "expert-reviewer"];
export const SCHOOL_STAFF = ["school-counselor", "school-admin"];

export function home() {
  const me = user();
  if (has(...BUREAU) && me.districtCode) return { level: me.districtCode.endsWith("00") ? "city" : "county", code: me.districtCode };
  if (has(...SCHOOL_STAFF) && me.schoolId) return { level: "school", code: me.schoolId };
  return null;
}

export const campaigns = where => api("reporting", `reports/screening/campaigns?level=${where.level}&code=${encodeURIComponent(where.code)}`);
