// A station: latest values, the last 24 hours and 30 days per pollutant (gaps left as gaps), AQI history.
"use strict";
(async () => {
  const { t, el, api, table, aqiBadge, time, message } = Lantian;
  const code = document.getElementById("station-title").dataset.station;
  const pollutants = [["a34004", "PM2.5"], ["a34002", "PM10"], ["a05024", "O3"], ["a21004", "NO2"], ["a21026", "SO2"], ["a21005", "CO"]];
  const china = (date, options) => date.toLocaleString(document.documentElement.lang, { timeZone: "Asia/Shanghai", ...options });
  const palette = ["#0b5cab", "#d97706", "#059669", "#7c3aed", "#dc2626", "#52606d"];
  try {
    const latest = (await api("/api/v1/latest")).find((s) => s.station === code);
    document.getElementById("station-aqi").replaceChildren(aqiBadge(latest?.aqi), " ", time(latest?.aqiHour));
    document.getElementById("latest").replaceChildren(table(null,
      [t("station_pollutant"), t("station_value"), t("station_time"), t("station_flag")],
      (latest?.values || []).map((v) => el("tr", { class: v.flag === "N" ? "" : "flagged" },
        el("th", { scope: "row" }, v.name || v.code), el("td", {}, v.value === null ? "—" : `${v.value} ${v.unit || ""}`),
        el("td", {}, time(v.time)), el("td", {}, `${v.flag} ${v.flagName}`)))));
  } catch (error) { document.getElementById("latest").replaceChildren(el("p", { class: "notice error" }, message(error))); }

  /** One point per expected period: a missing hour or day is null, so the line breaks there. */
  function series(items, stepSeconds, count, end) {
    const byStart = new Map(items.map((item) => [Date.parse(item.start), item]));
    const labels = [], rows = [];
    for (let i = count - 1; i >= 0; i--) {
      const start = end - i * stepSeconds * 1000;
      labels.push(new Date(start));
      rows.push(byStart.get(start) || null);
    }
    return { labels, rows };
  }
  function value(row, code) {
    const v = row?.values.find((x) => x.code === code);
    return v && v.valid && v.value !== null ? v.value : null;
  }
  function chart(id, s, format) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: "line",
      data: {
        labels: s.labels.map(format),
        datasets: pollutants.map(([code, name], i) => ({
          label: name, data: s.rows.map((row) => value(row, code)), borderColor: palette[i], backgroundColor: palette[i],
          spanGaps: false, pointRadius: 2, hidden: i > 1,
        })),
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: "index", intersect: false } },
    });
  }
  try {
    const hours = await api(`/api/v1/stations/${encodeURIComponent(code)}/aqi?period=hour`);
    const now = Date.now(), hour = 3600 * 1000;
    const end = Math.floor(now / hour) * hour - hour;
    const s24 = series(hours.items, 3600, 24, end);
    chart("chart24", s24, (d) => china(d, { hour: "2-digit", minute: "2-digit" }));
    const missing = s24.rows.filter((row) => row === null).length;
    document.getElementById("table24").replaceChildren(el("p", { class: missing ? "notice" : "muted", id: "gap-count" },
      missing ? t("station_missing", { n: missing }) : t("station_complete")));
    document.getElementById("aqi-history").replaceChildren(table(null, [t("aqi_hour"), t("aqi_aqi"), t("aqi_primary")],
      s24.rows.map((row, i) => el("tr", { class: row ? "" : "gap" },
        el("td", {}, china(s24.labels[i], { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" })), el("td", {}, row ? aqiBadge(row.aqi) : t("aqi_noData")),
        el("td", {}, (row?.aqi?.primaryPollutants || []).join("、"))))));
    const days = await api(`/api/v1/stations/${encodeURIComponent(code)}/aqi?period=day`);
    // Days begin at 00:00 China time (UTC+8), whatever the browser's zone.
    const dayMs = 86400 * 1000;
    const chinaToday = Math.floor((now + 8 * hour) / dayMs) * dayMs - 8 * hour;
    chart("chart30", series(days.items, 86400, 30, chinaToday - dayMs), (d) => china(d, { month: "numeric", day: "numeric" }));
  } catch (error) {
    document.getElementById("table24").replaceChildren(el("p", { class: "notice error" }, message(error)));
  }
})();
