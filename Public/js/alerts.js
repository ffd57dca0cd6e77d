// The alert queue: every alert the user's scope shows, with the step its status allows.
"use strict";
(async () => {
  const { t, el, api, table, time, message } = Lantian;
  const list = document.getElementById("alert-list");
  const causes = ["source_stopped", "instrument_fault", "suspected_tampering", "explained"];

  function actions(alert, reload) {
    const act = async (step, body, button) => {
      button.disabled = true;
      try { await api(`/api/v1/alerts/${alert.id}/${step}`, { method: "POST", body: body || {} }); await reload(); }
      catch (error) { button.disabled = false; button.after(el("span", { class: "error", role: "alert" }, message(error))); }
    };
    const button = (step, label, body) => el("button", { type: "button", class: `act-${step}`,
      onclick: (event) => act(step, body, event.currentTarget) }, label);
    switch (alert.status) {
      case "open": case "dispatched": return button("acknowledge", t("alerts_acknowledge"));
      case "acknowledged": {
        const id = `handle-${alert.id}`;
        const form = el("form", { class: "handle-form", dataset: { alert: alert.id } },
          el("label", { for: `${id}-cause` }, t("alerts_cause")),
          el("select", { id: `${id}-cause`, name: "cause", required: true },
            causes.map((cause) => el("option", { value: cause }, t(`alerts_cause_${cause}`)))),
          el("label", { for: `${id}-note` }, t("common_note")),
          el("input", { id: `${id}-note`, name: "note", required: true }),
          el("button", { type: "submit" }, t("alerts_handle")));
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          act("handle", { cause: form.elements.cause.value, note: form.elements.note.value }, form.querySelector("button"));
        });
        return form;
      }
      case "handled": return el("span", {}, button("verify", t("alerts_verify")), " ",
        button("return", t("alerts_return"), { note: t("alerts_returnNote") }));
      case "verified": return button("close", t("alerts_close"));
      default: return "";
    }
  }

  async function load() {
    const status = document.getElementById("alert-status").value;
    try {
      const alerts = await api(`/api/v1/alerts?status=${encodeURIComponent(status)}&limit=200`);
      list.replaceChildren(alerts.length === 0 ? el("p", {}, t("alerts_empty")) : table(null,
        [t("alerts_status"), t("alerts_station"), t("alerts_kind"), t("alerts_message"), t("alerts_opened"), t("alerts_deadline"), t("alerts_actions")],
        alerts.map((alert) => el("tr", { id: `alert-${alert.id}`, dataset: { alert: alert.id, status: alert.status } },
          el("td", {}, alert.statusName), el("td", {}, el("a", { href: `/stations/${alert.stationCode}` }, alert.stationCode)),
          el("td", {}, alert.kindName), el("td", {}, alert.message, alert.count > 1 ? ` ×${alert.count}` : ""),
          el("td", {}, time(alert.openedAt)),
          el("td", {}, time(alert.deadline), alert.overdue ? el("strong", { class: "overdue" }, ` ${t("alerts_overdue")}`) : ""),
          el("td", {}, actions(alert, load)))), { id: "alerts-table" }));
    } catch (error) { list.replaceChildren(el("p", { class: "notice error" }, message(error))); }
  }
  document.getElementById("alert-filter").addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
})();
