// The one rendering library of the staff pages: lit-html escapes every value it puts into a template (text or
// attribute), so data from the services is shown as text, never parsed as markup. Served from its mvnpm jar.
export { html, render, nothing } from "/_static/lit-html/3.3.1/lit-html.js";
