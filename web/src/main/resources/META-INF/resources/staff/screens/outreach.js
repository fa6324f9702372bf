// A partner hospital's outreach: popular-science publications on its own channels (at least one a quarter) and its
// experts' visits to schools, recorded by its clinicians; the bureau reads the quarters in its outreach report.
import { html, render } from "../lit.js";
import { t } from "../i18n.js";
import { api, act, route, refresh, user } from "../shell.js";
import * as fmt from "../format.js";

const KINDS = [["PUBLICATION", "科普宣传"], ["SCHOOL_VISIT", "专家进校园"]];
const CHANNELS = [["WECHAT", "微信公众号"], ["WEBSITE", "医院网站"], ["VIDEO", "视频号 / 短视频"], ["PRINT", "报刊"], ["BROADCAST", "广播电视"],
  ["CLASSROOM", "学校课堂"], ["OTHER", "其他"]];
const QUARTERS = ["第一季度", "第二季度", "第三季度", "第四季度"];
const label = (list, v) => { const x = list.find(y => y[0] === v); return x ? t(x[1]) : v; };

route({
  name: "outreach", title: "宣传与进校园", roles: ["clinician"],
  async render(el) {
    const hospital = user().hospitalId;
    const list = await api("reporting", `hospitals/${hospital}/outreach`);
    const quarters = [1, 2, 3, 4].map(q => list.filter(i => i.kind === "PUBLICATION" && Math.ceil(+i.publishedOn.slice(5, 7) / 3) === q).length);
    const add = e => {
      e.preventDefault();
      const f = e.target;
      const body = { kind: f.kind.value, channel: f.channel.value, title: f.title.value, publishedOn: f.publishedOn.value, link: f.link.value || null };
      if (f.kind.value === "SCHOOL_VISIT") body.schoolId = f.schoolId.value;
      act(f.querySelector("button"), async () => { await api("reporting", `hospitals/${hospital}/outreach`, { method: "POST", body }); refresh(); });
    };
    const remove = (e, i) => act(e.target, async () => { await api("reporting", `hospitals/${hospital}/outreach/${i.id}`, { method: "DELETE" }); refresh(); });
    render(html`<h2>${t("宣传与进校园")} <span class="muted">${t("每季度至少在本单位网络宣传阵地发布 1 次中小学生心理健康知识宣传")}</span></h2>
      <p id="quarters">${quarters.map((n, i) => html`<span class="badge ${n ? "" : "risk-HIGH"}">${t(QUARTERS[i])} ${n}</span> `)}</p>
      <div class="cols"><section class="card"><table><thead><tr><th>${t("日期")}</th><th>${t("类型")}</th><th>${t("渠道")}</th><th>${t("主题")}</th><th></th></tr></thead>
        <tbody>${list.length ? list.map(i => html`<tr><td>${fmt.date(i.publishedOn)}</td><td>${label(KINDS, i.kind)}</td><td>${label(CHANNELS, i.channel)}</td>
          <td>${i.link ? html`<a href=${i.link} rel="noopener noreferrer" target="_blank">${i.title}</a>` : i.title}${i.schoolId ? html` · ${i.schoolId}` : ""}</td>
          <td><button class="link" @click=${e => remove(e, i)}>${t("删除")}</button></td></tr>`)
          : html`<tr><td colspan="5">${t("本年度暂无记录")}</td></tr>`}</tbody></table></section>
      <section class="card"><h3>${t("记录一次宣传或进校园")}</h3><form id="add-outreach" @submit=${add}>
        <label>${t("类型")} <select name="kind">${fmt.options(KINDS)}</select></label>
        <label>${t("渠道")} <select name="channel">${fmt.options(CHANNELS)}</select></label>
        <label>${t("日期")} <input type="date" name="publishedOn" required .value=${new Date().toISOString().slice(0, 10)}></label>
        <label style="display:flex">${t("主题")} <input name="title" required maxlength="200"></label>
        <label style="display:flex">${t("链接")} <input name="link" type="url" maxlength="500" placeholder="https://"></label>
        <label>${t("学校代码（进校园）")} <input name="schoolId" pattern="S[0-9]{9}" placeholder="S370811001"></label>
        <div><button>${t("保存")}</button></div></form></section></div>`, el);
  },
});
