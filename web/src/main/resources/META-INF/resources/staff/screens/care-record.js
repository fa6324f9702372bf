// A student's care record (心理档案): each instrument's scores over time against its bands, and everything that
// happened, newest first: screenings, risk cases, notes, the hospital's status of each referral and its return summary.
import { html, render, nothing } from "../lit.js";
import { t, both } from "../i18n.js";
import { api, route } from "../shell.js";
import * as fmt from "../format.js";
import { echartsLibrary } from "../charts.js";
import { SCHOOL, school, caseStatus, referralStatus, hospitalNames } from "./school-common.js";
import { summaryView } from "./return-summary.js";

const KIND = { SCREENING: "筛查", RISK_CASE: "风险个案", NOTE: "跟进记录@note", REFERRAL: "转介", SESSION: "心理辅导", FOLLOW_UP: "回访" };
const FOLLOW_UP_OUTCOMES = { SEEN: "已回访", IMPROVED: "好转", UNCHANGED: "无明显变化", WORSE: "加重（重新转介）", RE_REFER: "重新转介",
  MOVED_SCHOOL: "已转学", UNREACHABLE: "无法联系" };
const SESSION_KINDS = { INDIVIDUAL: "个体辅导", GROUP: "团体辅导", FAMILY: "家庭辅导" };
const PROGRESS = { IMPROVED: "好转", UNCHANGED: "无明显变化", WORSE: "加重" };
const NOTE_KINDS = { FOLLOW_UP: "跟进记录@note", GUARDIAN_INFORMED: "已告知监护人", GUARDIAN_EXCEPTION: "暂不告知监护人（例外）", CLOSE: "结案@action" };

function entry(e, hospitals, returns) {
  const what = {
    SCREENING: () => html`${e.instrumentId} · ${t("总分")} ${e.totalScore} · ${fmt.band(fmt.definition(e.instrumentId), e.band)}
      ${e.criticalItem ? html` · <strong class="overdue">${t("关键条目阳性")}</strong>` : nothing} · ${e.mode === "PAPER" ? t("纸质") : t("线上")}`,
    RISK_CASE: () => html`<a href="#/risk/${e.caseId}">${caseStatus(e.caseStatus)}</a> · ${fmt.reasons(e.reasons)}`,
    NOTE: () => html`${NOTE_KINDS[e.noteKind] ? t(NOTE_KINDS[e.noteKind]) : e.noteKind} · ${e.note} <span class="muted">${e.author}</span>`,
    SESSION: () => html`${t(SESSION_KINDS[e.sessionKind] || e.sessionKind)} · ${e.minutes} ${t("分钟")} · ${t(PROGRESS[e.progress] || e.progress)}`,
    FOLLOW_UP: () => html`${e.followUpBy === "HOSPITAL" ? t("医院") : t("学校")} · ${e.outcome ? t(FOLLOW_UP_OUTCOMES[e.outcome] || e.outcome) : t("待回访")}${e.note ? " · " + e.note : ""}`,
    REFERRAL: () => html`<span class="badge status">${referralStatus(e.referralStatus)}</span> ${hospitals.get(e.hospitalId) || e.hospitalId || ""}
      ${summaryView(returns.get(e.referralId))}`,
  }[e.kind];
  const when = e.kind === "FOLLOW_UP" && !e.outcome ? fmt.date(e.at) : fmt.time(e.at); // an open follow-up is due on a day
  const kind = e.kind === "REFERRAL" && e.referralBusinessStatus === "returned" ? "医院出院返校" : KIND[e.kind];
  return html`<li><span class="muted">${when}</span> · <strong>${t(kind)}</strong>
    ${e.riskLevel ? fmt.risk(e.riskLevel) : nothing} ${what ? what() : nothing}
    <span class="muted">${e.campaign || ""}</span></li>`;
}

route({
  name: "care-record", title: "心理档案", roles: SCHOOL, menu: false, parent: "risk",
  async render(el, studentNumber) {
    const [record, hospitals] = await Promise.all([
      api("screening", `schools/${school()}/students/${encodeURIComponent(studentNumber)}/care-record`), hospitalNames()]);
    // the hospital's return summary of each completed referral, from the referral API (which audits the read)
    const completed = [...new Set(record.timeline.filter(e => e.kind === "REFERRAL" && e.referralStatus === "completed" && e.referralId)
      .map(e => e.referralId))];
    const returns = new Map((await Promise.all(completed.map(id => api("referral", "referrals/" + id).catch(() => null))))
      .filter(r => r && r.returnSummary).map(r => [r.id, r.returnSummary]));
    const instruments = Object.keys(record.scores);
    await fmt.reasonsReady([...record.timeline.flatMap(e => e.reasons || []), ...instruments.map(id => ({ instrumentId: id }))]);
    const s = record.student;
    render(html`<h2>${t("心理档案")} · ${s.name} <span class="muted">${s.studentNumber} · ${s.grade}${t("年级@suffix")} ${s.className}</span></h2>
      <p><a href="#/risk">${t("返回风险名单")}</a></p>
      <div class="cols"><section class="card"><h3>${t("经过（最新在前）")}</h3>
        <ol class="history" id="timeline">${record.timeline.length ? record.timeline.map(e => entry(e, hospitals, returns)) : html`<li class="muted">${t("暂无")}</li>`}</ol></section>
      <div>${instruments.length ? instruments.map(id => html`<section class="card"><h3>${id} ${both(fmt.definition(id) && fmt.definition(id).title)}</h3>
          <div class="chart" id="score-${id}" role="img" aria-label=${t("历次得分")}></div></section>`)
        : html`<section class="card muted">${t("暂无筛查结果")}</section>`}</div></div>`, el);
    if (!instruments.length) return;
    const echarts = await echartsLibrary();
    for (const id of instruments) {
      const points = record.scores[id];
      const def = fmt.definition(id);
      const bands = def ? def.bands.filter(b => b.min > 0) : [];
      const chart = echarts.init(el.querySelector(`[id="score-${id}"]`), null, { renderer: "svg" });
      chart.setOption({
        animation: false, tooltip: { trigger: "axis" }, grid: { left: 40, right: 90, top: 20, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: points.map(p => `${fmt.date(p.at)}\n${p.campaign || ""}`) },
        yAxis: { type: "value", min: 0, max: def ? Math.max(...def.bands.map(b => b.max)) : null },
        series: [{ type: "line", name: t("总分"), data: points.map(p => p.totalScore), symbolSize: 9,
          itemStyle: { color: "#0f766e" }, label: { show: true, position: "top" },
          markLine: { symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#94a3b8" },
            label: { position: "end", formatter: p => p.name }, data: bands.map(b => ({ yAxis: b.min, name: both(b) })) } }],
      });
    }
  },
});
