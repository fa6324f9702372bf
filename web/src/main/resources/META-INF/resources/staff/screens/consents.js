// Guardian consent for this school year: each student's standing, the guardians' one-time links to send, and the
// signed paper forms (a scan is the record). Students under 14 wait for their guardian; a decline or withdrawal
// stops their screening, and coverage counts them apart.
import { html, render, nothing } from "../lit.js";
import { t } from "../i18n.js";
import { api, act } from "../shell.js";
import { route } from "../shell.js";
import { date } from "../format.js";
import { SCHOOL, school } from "./school-common.js";

const STANDING = { MAY_SCREEN: "可参加", AWAITING_GUARDIAN: "待家长回复", DECLINED: "不同意", WITHDRAWN: "已撤回" };
const DECISION = { GRANTED: "同意", DECLINED: "不同意", WITHDRAWN: "撤回" };
const METHOD = { PAPER: "纸质", ONLINE: "线上" };

route({
  name: "consents", title: "家长知情同意", roles: SCHOOL,
  async render(el) {
    let grade = "", className = "", rows = [], links = null;
    const query = () => [grade && "grade=" + encodeURIComponent(grade), className && "className=" + encodeURIComponent(className)].filter(Boolean).join("&");
    const load = async () => { rows = await api("screening", `schools/${school()}/consents?${query()}`); draw(); };
    const filter = e => { e.preventDefault(); grade = e.target.grade.value; className = e.target.className.value.trim(); links = null; load(); };
    const issue = e => act(e.target, async () => { links = await api("screening", `schools/${school()}/guardian-links?${query()}`, { method: "POST" }); draw(); });
    const paper = e => {
      e.preventDefault();
      const f = e.target, file = f.form.files[0];
      act(f.querySelector("button"), async () => {
        await api("screening", `schools/${school()}/students/${encodeURIComponent(f.number.value.trim())}/consents?decision=${f.decision.value}&decidedOn=${f.decidedOn.value}`,
          { method: "POST", body: file, type: file.type });
        f.reset();
        await load();
      });
    };
    const count = s => rows.filter(r => r.standing === s).length;
    const draw = () => render(html`<h2>${t("家长知情同意")}</h2>
      <section class="card"><p class="muted">${t("未满 14 周岁的学生须有监护人同意方可参加测评；监护人不同意或撤回同意的学生不能登录，纸质问卷也不予录入，覆盖率单独统计为“未同意”。")}</p>
        <form @submit=${filter} class="inline">
          <label>${t("年级")} <input name="grade" type="number" min="1" max="12" .value=${grade} style="width:5em"></label>
          <label>${t("班级")} <input name="className" .value=${className} style="width:8em"></label>
          <button>${t("筛选")}</button>
        </form>
        <p>${t("可参加")} ${count("MAY_SCREEN")} · ${t("待家长回复")} ${count("AWAITING_GUARDIAN")} · ${t("不同意")} ${count("DECLINED")} · ${t("已撤回")} ${count("WITHDRAWN")}</p>
      </section>
      <section class="card"><h3>${t("家长链接")}</h3>
        <p class="muted">${t("每位家长一个一次性链接码：经家校群或短信发给家长，家长打开后阅读知情同意书并作出选择。已发出的链接不会变。")}</p>
        <button @click=${issue}>${t("生成并列出家长链接")}</button>
        ${links ? html`<table><thead><tr><th>${t("学号")}</th><th>${t("姓名")}</th><th>${t("班级")}</th><th>${t("链接码")}</th><th>${t("链接")}</th></tr></thead><tbody>
          ${links.map(l => html`<tr><td>${l.studentNumber}</td><td>${l.name}</td><td>${l.grade}${t("年级")} ${l.className}</td>
            <td><code>${l.code}</code>${l.spent ? html` <span class="muted">${t("已使用")}</span>` : nothing}</td><td><code>${l.url}</code></td></tr>`)}</tbody></table>` : nothing}
      </section>
      <section class="card"><h3>${t("登记纸质同意书")}</h3>
        <form @submit=${paper} class="inline">
          <label>${t("学号")} <input name="number" required style="width:8em"></label>
          <label>${t("家长选择")} <select name="decision">${Object.entries(DECISION).map(([v, k]) => html`<option value=${v}>${t(k)}</option>`)}</select></label>
          <label>${t("签字日期")} <input name="decidedOn" type="date" required></label>
          <label>${t("扫描件（PDF、JPG、PNG）")} <input name="form" type="file" accept="application/pdf,image/jpeg,image/png" required></label>
          <button>${t("登记")}</button>
        </form>
      </section>
      <section class="card"><table><thead><tr><th>${t("学号")}</th><th>${t("姓名")}</th><th>${t("班级")}</th><th>${t("状态")}</th><th>${t("方式")}</th>
        <th>${t("日期")}</th><th>${t("告知书版本")}</th><th>${t("说明")}</th></tr></thead><tbody>
        ${rows.map(r => html`<tr><td>${r.studentNumber}</td><td>${r.name}</td><td>${r.grade}${t("年级")} ${r.className}</td>
          <td><span class="badge">${t(STANDING[r.standing] || r.standing)}</span></td>
          <td>${r.method ? t(METHOD[r.method]) : "—"}${r.formOnFile ? html` · <a target="_blank" rel="noopener" href=${`/bff/api/screening/schools/${school()}/students/${encodeURIComponent(r.studentNumber)}/consent-form`}>${t("查看扫描件")}</a>` : nothing}</td>
          <td>${date(r.decidedOn)}</td><td>${r.noticeVersion ? "v" + r.noticeVersion : "—"}</td><td>${r.retainedForSafety || ""}</td></tr>`)}
      </tbody></table></section>`, el);
    await load();
  },
});
