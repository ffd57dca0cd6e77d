// The command dashboard: map, live alert feed (server-sent events), heavy-pollution status, ranking, overdue cases.
"use strict";
(async () => {
  const { t, el, api, table, legend, time, message } = Lantian;
  legend(document.getElementById("legend"));
  stationMap("map", { regions: true, zones: true, link: true }).catch((error) =>
    document.getElementById("map")?.replaceWith(el("p", { class: "notice error" }, message(error))));
  renderRanking(document.getElementById("ranking"));

  // Heavy pollution: from the live regional AQI, and it says so.
  (async () => {
    const box = document.getElementById("heavy-status");
    try {
      const answer = await api("/api/v1/rankings/regions");
      const heavy = answer.rows.filter((row) => row.aqi > 200);
      box.replaceChildren(heavy.length === 0
        ? el("p", { id: "heavy-none" }, t("dashboard_heavyNone"))
        : el("div", { class: "notice error", id: "heavy-now" }, t("dashboard_heavyNow"),
          el("ul", {}, heavy.map((row) => el("li", {}, `${row.name} AQI ${row.aqi} ${row.category}`)))));
    } catch (error) { box.replaceChildren(el("p", { class: "notice error" }, message(error))); }
  })();

  // Overdue cases.
  (async () => {
    const box = document.getElementById("overdue-cases");
    try {
      const answer = await api("/api/v1/cases?overdue=true&limit=20");
      box.replaceChildren(answer.cases.length === 0 ? el("p", {}, t("common_none")) :
        table(`${t("dashboard_overdue")}：${answer.total}`,
          [t("cases_number"), t("cases_category"), t("cases_unit"), t("cases_deadline"), t("cases_status")],
          answer.cases.map((item) => el("tr", { dataset: { case: item.id } },
            el("td", {}, el("a", { href: `/cases/${item.id}` }, item.number)), el("td", {}, item.categoryName),
            el("td", {}, item.responsibleUnitName || item.responsibleUnitCode || "—"),
            el("td", {}, el("strong", {}, item.deadline), ` ${t("cases_overdue")}`), el("td", {}, item.statusName))),
          { id: "overdue-table" }));
    } catch (error) {
      box.replaceChildren(el("p", { class: error.status === 403 ? "muted" : "notice error" }, message(error)));
    }
  })();

  // Open alerts now, then the live feed.
  const count = document.getElementById("open-alert-count");
  const refreshCount = async () => {
    try {
      const open = await api("/api/v1/alerts?status=open,dispatched,acknowledged,handled,verified&limit=1000");
      count.textContent = String(open.length);
    } catch (error) { count.textContent = message(error); }
  };
  refreshCount();
  const feed = document.getElementById("alert-feed");
  const status = document.getElementById("live-status");
  const source = new EventSource("/api/v1/alerts/stream");
  source.onopen = () => { status.textContent = t("dashboard_live"); status.className = "live on"; };
  source.onerror = () => { status.textContent = t("dashboard_offline"); status.className = "live off"; };
  source.addEventListener("alert", (event) => {
    const notice = JSON.parse(event.data);
    document.getElementById("feed-empty")?.remove();
    feed.prepend(el("li", { class: `feed-item ${notice.event}`, dataset: { alert: notice.alert.id, event: notice.event } },
      el("time", { datetime: new Date(notice.at * 1000).toISOString() }, time(notice.at)), " ",
      el("a", { href: `/alerts#alert-${notice.alert.id}` }, notice.text)));
    while (feed.children.length > 50) feed.lastElementChild.remove();
    refreshCount();
  });
})();
