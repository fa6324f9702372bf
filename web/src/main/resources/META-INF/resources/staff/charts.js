// Apache ECharts, loaded on the first screen that draws a chart (from its mvnpm jar).
import { t } from "./i18n.js";

let loading;
export function echartsLibrary() {
  loading ??= new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = "/_static/echarts/5.6.0/dist/echarts.min.js";
    s.onload = () => resolve(window.echarts);
    s.onerror = () => { loading = null; reject(new Error(t("图表库加载失败"))); };
    document.head.append(s);
  });
  return loading;
}
