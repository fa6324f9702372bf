// Erasure of one student (PIPL art. 47): the school's admin asks with the reason, the county bureau decides without
// seeing who the student is, and every service then erases what it holds. The auditor reads the record.
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, has } from "../shell.js";
import { time } from "../format.js";
import { school } from "./school-common.js";

const STATUS = { REQUESTED: "待审批", REJECTED: "已驳回", DONE: "已删除" };
const ERASED = { submissions: "答卷", cases: "个案", accessCodes: "访问码", consents: "同意记录", guardianLinks: "家长链接", transfers: "转学记录",
  openReferrals: "转介状态", publishedEvents: "已发布事件", student: "学生名册记录" };

route({
  name: "erasures", title: "数据删除申请", roles: ["school-admin", "bureau-analyst", "auditor"],
  async render(el) {
    let rows = [];
    const schools = new Map((await api("screening", "schools").catch(() => [])).map(x => [x.id, x.name]));
    const load = async () => { rows = await api("screening", "erasure-requests"); draw(); };
    const ask = e => {
      e.preventDefault();
      const f = e.target;
      act(f.querySelector("button"), async () => {
        await api("screening", `schools/${school()}/erasure-requests`, { method: "POST", body: { studentNumber: f.number.value.trim(), reason: f.reason.value.trim() } });
        f.reset();
        await load();
      });
    };
    const decide = (id, decision, button) => act(button, async () => {
      const note = button.closest("tr").querySelector("input").value.trim();
      await api("screening", `erasure-requests/${id}/decision`, { method: "POST", body: { decision, note: note || null } });
      await load();
    });
    const bureau = has("bureau-analyst");
    const draw = () => render(html`<h2>${t("数据删除申请")}</h2>
      <section class="card"><p class="muted">${t("删除后，该学生在各系统中的答卷、个案、转介身份信息、热线记录中的学号与记录均被删除或不可逆地去标识化；发往医院的消息无法再解密；统计报表只保留汇总数。正在处理中的个案或转介会阻止删除，直至结案。")}</p>
      ${has("school-admin") ? html`<form @submit=${ask} class="inline">
        <label>${t("学号")} <input name="number" required style="width:9em"></label>
        <label>${t("申请原因")} <input name="reason" required maxlength="500" style="width:22em"></label>
        <button>${t("提交删除申请")}</button></form>` : nothing}</section>
      <section class="card"><table><thead><tr><th>${t("提交时间")}</th><th>${t("学校")}</th>${has("school-admin") ? html`<th>${t("学号")}</th>` : nothing}
        <th>${t("申请原因")}</th><th>${t("状态")}</th><th>${t("已删除")}</th><th></th></tr></thead><tbody>
        ${rows.map(r => html`<tr><td>${time(r.requestedAt)}</td><td>${schools.get(r.schoolId) || r.schoolId}</td>${has("school-admin") ? html`<td>${r.studentNumber || "—"}</td>` : nothing}
          <td>${r.reason}</td><td><span class="badge">${t(STATUS[r.status] || r.status)}</span>${r.decisionNote ? html`<br><span class="muted">${r.decisionNote}</span>` : nothing}</td>
          <td>${r.erased ? Object.entries(r.erased).filter(([, n]) => n > 0).map(([k, n]) => `${ERASED[k] ? t(ERASED[k]) : k} ${n}`).join(" · ") : "—"}</td>
          <td>${bureau && r.status === "REQUESTED" ? html`<input placeholder=${t("审批意见")} style="width:10em">
            <button @click=${e => decide(r.id, "APPROVE", e.target)}>${t("批准删除")}</button>
            <button @click=${e => decide(r.id, "REJECT", e.target)}>${t("驳回")}</button>` : nothing}</td></tr>`)}
      </tbody></table></section>`, el);
    await load();
  },
});
