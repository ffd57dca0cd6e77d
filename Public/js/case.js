// One case: facts, the steps the user may take now (a form each), evidence with thumbnails, the timeline.
"use strict";
(async () => {
  const { t, el, api, time, message } = Lantian;
  const id = document.getElementById("case").dataset.case;
  let detail;

  function field(name, label, input) {
    const inputID = `step-${name}-${Math.random().toString(36).slice(2, 8)}`;
    input.id = inputID;
    input.name = name;
    return el("p", {}, el("label", { for: inputID }, label), el("br"), input);
  }
  function stepForm(action) {
    const form = el("form", { class: "step-form", dataset: { action } }, el("h3", {}, t(`step_${action}`)));
    if (action === "assign") {
      // The responsible unit: the routed one by default; required when routing found none (e.g. an address-only complaint).
      const select = el("select", { required: !detail.case.responsibleUnitCode },
        el("option", { value: "" }, detail.case.responsibleUnitName || detail.case.responsibleUnitCode || "—"));
      api("/api/v1/units").then((units) => select.append(...units.map((u) => el("option", { value: u.code }, `${u.name}（${u.code}）`))))
        .catch(() => {});
      form.append(field("unitCode", t("cases_unit"), select));
      form.append(field("workingDays", t("cases_workingDays"), el("input", { type: "number", min: 1, max: 365, value: 5, required: true })));
    }
    if (action === "grant_extension") form.append(field("deadline", t("cases_newDeadline"), el("input", { pattern: "\\d{4}-\\d{2}-\\d{2}", required: true })));
    if (action === "close_not_fixed") form.append(field("outcome", t("cases_outcomeChoice"), el("select", { required: true },
      ["not_our_responsibility", "duplicate", "cannot_be_fixed"].map((o) => el("option", { value: o }, t(`cases_outcome_${o}`))))));
    form.append(field("note", t("common_note"), el("textarea", { rows: 2, required: ["submit", "return", "close_not_fixed", "request_extension", "revisit_failed"].includes(action) })));
    if (action === "submit") {
      const box = el("fieldset", {}, el("legend", {}, t("cases_evidence")),
        detail.attachments.map((a) => el("label", { class: "check" }, el("input", { type: "checkbox", name: "evidence", value: a.id, checked: true }), ` ${a.fileName}`)));
      form.append(box);
    }
    form.append(el("button", { type: "submit" }, t("common_submit")), el("span", { class: "result", role: "status" }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = {};
      const data = new FormData(form);
      if (data.get("note")) body.note = data.get("note");
      if (data.get("workingDays")) body.workingDays = Number(data.get("workingDays"));
      if (data.get("unitCode")) body.unitCode = data.get("unitCode");
      if (data.get("deadline")) body.deadline = data.get("deadline");
      if (data.get("outcome")) body.outcome = data.get("outcome");
      if (action === "submit") body.evidence = data.getAll("evidence");
      try { detail = await api(`/api/v1/cases/${id}/${action}`, { method: "POST", body }); render(); }
      catch (error) { form.querySelector(".result").textContent = message(error); }
    });
    return form;
  }

  function render() {
    const item = detail.case;
    document.getElementById("case-title").textContent = `${item.number} ${item.title}`;
    const facts = [
      [t("cases_status"), item.statusName + (item.overdue ? ` · ${t("cases_overdue")}` : "")],
      [t("cases_source"), item.sourceName], [t("cases_category"), item.categoryName],
      [t("cases_unit"), item.responsibleUnitName || item.responsibleUnitCode || "—"],
      [t("cases_deadline"), item.deadline ? `${item.deadline}（${item.deadlineBasis || ""}）` : "—"],
      [t("cases_address"), item.address || `${item.longitude ?? ""} ${item.latitude ?? ""}`],
      [t("cases_description"), item.description], [t("cases_measures"), item.measures || "—"],
    ];
    if (item.outcomeName) facts.push([t("cases_outcome"), item.outcomeName]);
    if (item.revisitDue) facts.push([t("cases_revisitDue"), item.revisitDue]);
    if (item.rebounds) facts.push([t("cases_rebounds"), String(item.rebounds)]);
    document.getElementById("case-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    document.getElementById("case-actions").replaceChildren(...(detail.allowedActions.length
      ? detail.allowedActions.map(stepForm) : [el("p", { id: "no-actions" }, t("cases_noActions"))]));
    document.getElementById("case-evidence").replaceChildren(detail.attachments.length === 0 ? el("p", {}, t("common_none")) :
      el("ul", { class: "evidence" }, detail.attachments.map((a) => el("li", {},
        el("a", { href: a.url, target: "_blank", rel: "noopener" },
          a.thumbnailURL ? el("img", { src: a.thumbnailURL, alt: a.fileName, loading: "lazy" }) : a.fileName),
        el("span", { class: "muted" }, ` ${a.fileName}`)))));
    document.getElementById("case-timeline").replaceChildren(...detail.events.map((e) => el("li", { dataset: { action: e.action } },
      el("time", { datetime: e.at }, time(e.at)), " ", el("strong", {}, e.actionName), ` → ${e.toStatusName} · ${e.actorName}`,
      e.note ? el("div", {}, e.note) : null, e.evidence.length ? el("div", { class: "muted" }, `${t("cases_evidence")}：${e.evidence.length}`) : null)));
  }

  const upload = document.getElementById("upload-form");
  upload.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = document.getElementById("upload-result");
    const data = new FormData();
    data.append("file", document.getElementById("upload-file").files[0]);
    try {
      const attachment = await api(`/api/v1/cases/${id}/attachments`, { method: "POST", body: data });
      result.textContent = `${t("field_done")}：${attachment.fileName}`;
      detail = await api(`/api/v1/cases/${id}`); render(); upload.reset();
    } catch (error) { result.textContent = message(error); }
  });
  try { detail = await api(`/api/v1/cases/${id}`); render(); }
  catch (error) { document.getElementById("case-title").textContent = message(error); }
})();
