"use strict";
// The city's own help lines, a deployment setting (web: xinqiao.help-lines.*): every page a student or guardian sees
// shows them. The pages carry the national line as written fallback; this fills in the deployment's numbers.
let helpLines = null;
function fillHelpLines() {
  if (!helpLines) return;
  document.querySelectorAll(".hotline-number").forEach(el => el.textContent = helpLines.hotline);
  document.querySelectorAll(".hotline-tel").forEach(el => el.href = "tel:" + helpLines.hotline.replace(/[^0-9+]/g, ""));
  document.querySelectorAll(".emergency-numbers").forEach(el => {
    el.replaceChildren(...helpLines.emergency.flatMap((n, i) => {
      const a = document.createElement("a");
      a.href = "tel:" + n.replace(/[^0-9+]/g, "");
      const strong = document.createElement("strong");
      strong.textContent = n;
      a.append(strong);
      return i ? [document.createTextNode(" / "), a] : [a];
    }));
  });
}
fetch("/bff/student/help-lines", { credentials: "omit" }).then(r => r.ok ? r.json() : null)
  .then(lines => { if (lines && lines.hotline) { helpLines = lines; fillHelpLines(); } }).catch(() => { /* the written fallback stays */ });
