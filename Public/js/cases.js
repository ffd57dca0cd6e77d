// The case list with its filters (unit, status, source, category, overdue).
"use strict";
(async () => {
  const { t, el, api, table, message } = Lantian;
  const list = document.getElementById("case-list");
  const form = document.getElementById("case-filter");
  const params = new URLSearchParams(location.search);
  for (const [name, value] of params) {
    const field = form.elements[name];
    if (field?.type === "checkbox") field.checked = value === "true"; else if (field) field.value = value;
  }
  async function load() {
    const query = new URLSearchParams();
    for (const name of ["status", "source", "category", "unit"]) if (form.elements[name].value) query.set(name, form.elements[name].value);
    if (form.elements.overdue.checked) query.set("overdue", "true");
    query.set("limit", "200");
    try {
      const answer = await api(`/api/v1/cases?${query}`);
      // Sources and categories as the server names them.
      for (const [select, key, name] of [["source", "source", "sourceName"], ["category", "category", "categoryName"]]) {
        const field = form.elements[select];
        for (const item of answer.cases) {
          if (![...field.options].some((o) => o.value === item[key])) field.append(el("option", { value: item[key] }, item[name]));
        }
      }
      list.replaceChildren(answer.cases.length === 0 ? el("p", {}, t("cases_empty")) : table(`${answer.total}`,
        [t("cases_number"), t("cases_source"), t("cases_category"), t("cases_status"), t("cases_unit"), t("cases_deadline")],
        answer.cases.map((item) => el("tr", { dataset: { case: item.id, status: item.status } },
          el("td", {}, el("a", { href: `/cases/${item.id}` }, item.number)), el("td", {}, item.sourceName),
          el("td", {}, item.categoryName, el("br"), el("span", { class: "muted" }, item.title)), el("td", {}, item.statusName),
          el("td", {}, item.responsibleUnitName || item.responsibleUnitCode || "—"),
          el("td", {}, item.deadline || "—", item.overdue ? el("strong", { class: "overdue" }, ` ${t("cases_overdue")}`) : ""))),
        { id: "cases-table" }));
    } catch (error) { list.replaceChildren(el("p", { class: "notice error" }, message(error))); }
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
})();
