// Field page for grid workers (360 px): my alerts (acknowledge in one tap, handle with a note) and my cases
// (the next step, a photo from the camera as evidence).
"use strict";
(async () => {
  const { t, el, api, time, message } = Lantian;
  const alertsBox = document.getElementById("my-alerts");
  const casesBox = document.getElementById("my-cases");

  async function loadAlerts() {
    try {
      const alerts = await api("/api/v1/alerts?status=open,dispatched,acknowledged&limit=100");
      alertsBox.replaceChildren(alerts.length === 0 ? el("p", {}, t("alerts_empty")) : el("ul", { class: "cards" },
        alerts.map((alert) => {
          const card = el("li", { class: "card", dataset: { alert: alert.id, status: alert.status } },
            el("strong", {}, `${alert.kindName} · ${alert.stationCode}`), el("p", {}, alert.message),
            el("p", { class: "muted" }, `${t("alerts_deadline")} ${time(alert.deadline)}`, alert.overdue ? ` · ${t("alerts_overdue")}` : ""));
          if (alert.status !== "acknowledged") {
            card.append(el("button", { type: "button", class: "big act-acknowledge", onclick: async (event) => {
              event.currentTarget.disabled = true;
              try { await api(`/api/v1/alerts/${alert.id}/acknowledge`, { method: "POST", body: {} }); loadAlerts(); }
              catch (error) { card.append(el("p", { class: "error", role: "alert" }, message(error))); }
            } }, t("field_ackOne")));
          } else {
            const noteID = `note-${alert.id}`, causeID = `cause-${alert.id}`;
            const form = el("form", { class: "stack handle-form" },
              el("label", { for: causeID }, t("alerts_cause")),
              el("select", { id: causeID, name: "cause" }, ["source_stopped", "instrument_fault", "suspected_tampering", "explained"]
                .map((c) => el("option", { value: c }, t(`alerts_cause_${c}`)))),
              el("label", { for: noteID }, t("common_note")), el("textarea", { id: noteID, name: "note", rows: 2, required: true }),
              el("button", { type: "submit", class: "big" }, t("alerts_handle")));
            form.addEventListener("submit", async (event) => {
              event.preventDefault();
              try {
                await api(`/api/v1/alerts/${alert.id}/handle`, { method: "POST", body: { cause: form.elements.cause.value, note: form.elements.note.value } });
                loadAlerts();
              } catch (error) { form.append(el("p", { class: "error", role: "alert" }, message(error))); }
            });
            card.append(form);
          }
          return card;
        })));
    } catch (error) { alertsBox.replaceChildren(el("p", { class: error.status === 403 ? "muted" : "notice error" }, message(error))); }
  }

  async function loadCases() {
    try {
      const answer = await api("/api/v1/cases?status=assigned,rectifying&limit=100");
      casesBox.replaceChildren(answer.cases.length === 0 ? el("p", {}, t("cases_empty")) : el("ul", { class: "cards" },
        answer.cases.map((item) => {
          const photoID = `photo-${item.id}`;
          const card = el("li", { class: "card", dataset: { case: item.id } },
            el("strong", {}, `${item.number} · ${item.categoryName}`), el("p", {}, item.title),
            el("p", { class: "muted" }, `${t("cases_deadline")} ${item.deadline || "—"}`, item.overdue ? ` · ${t("cases_overdue")}` : ""),
            el("a", { href: `/cases/${item.id}`, class: "button" }, t("cases_open")));
          const form = el("form", { class: "stack" },
            el("label", { for: photoID }, t("cases_photo")),
            el("input", { id: photoID, type: "file", accept: "image/*", capture: "environment", required: true }),
            el("button", { type: "submit", class: "big" }, t("cases_upload")), el("span", { role: "status" }));
          form.addEventListener("submit", async (event) => {
            event.preventDefault();
            const data = new FormData();
            data.append("file", form.querySelector("input[type=file]").files[0]);
            try { await api(`/api/v1/cases/${item.id}/attachments`, { method: "POST", body: data }); form.querySelector("[role=status]").textContent = t("field_done"); form.reset(); }
            catch (error) { form.querySelector("[role=status]").textContent = message(error); }
          });
          card.append(form);
          return card;
        })));
    } catch (error) { casesBox.replaceChildren(el("p", { class: error.status === 403 ? "muted" : "notice error" }, message(error))); }
  }
  loadAlerts();
  loadCases();
})();
