// Lantian pages: the shared helpers. No framework; every string comes from the server's strings table.
"use strict";
const Lantian = (() => {
  const strings = JSON.parse(document.getElementById("strings").textContent);
  const t = (key, values) => {
    let text = strings[key] ?? key;
    for (const [name, value] of Object.entries(values || {})) text = text.replace(`{${name}}`, value);
    return text;
  };
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content;

  /** Calls the JSON API with the page's session; throws an Error carrying the server's reason. */
  async function api(path, options = {}) {
    const headers = { Accept: "application/json" };
    let body = options.body;
    if (body !== undefined && !(body instanceof FormData) && typeof body !== "string") {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    } else if (typeof body === "string" && options.contentType) {
      headers["Content-Type"] = options.contentType;
    }
    if (csrf && options.method && options.method !== "GET") headers["X-CSRF-Token"] = csrf;
    const response = await fetch(path, { method: options.method || "GET", headers, body, credentials: "same-origin" });
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    if (!response.ok) {
      const reason = data?.error?.message || (Array.isArray(data) ? data.map((e) => e.description).join("; ") : text);
      const error = new Error(reason || `${response.status}`);
      error.status = response.status;
      error.problems = data?.error?.problems;
      throw error;
    }
    return data;
  }

  /** Builds an element: el("td", {class: "x"}, "text", child…). Text is never parsed as HTML. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function table(caption, headers, rows, attributes = {}) {
    return el("table", { class: "data", ...attributes },
      caption ? el("caption", {}, caption) : null,
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows));
  }

  /** An AQI badge: the number and the category in words, with the HJ 633 colour (never colour alone). */
  function aqiBadge(aqi) {
    if (!aqi || aqi.aqi === null || aqi.aqi === undefined) return el("span", { class: "aqi-badge none" }, t("aqi_noData"));
    const dark = aqi.level >= 4;
    return el("span", { class: "aqi-badge", style: `background:${aqi.colour};color:${dark ? "#fff" : "#1f2933"}` },
      `${aqi.aqi} ${aqi.category || ""}`);
  }

  /** The HJ 633 legend, numbers and words. */
  const levels = [
    [0, 50, "优", "#00E400"], [51, 100, "良", "#FFFF00"], [101, 150, "轻度污染", "#FF7E00"],
    [151, 200, "中度污染", "#FF0000"], [201, 300, "重度污染", "#99004C"], [301, 500, "严重污染", "#7E0023"],
  ];
  function legend(container) {
    if (!container) return;
    container.replaceChildren(el("span", { class: "muted" }, t("aqi_legend") + "："),
      ...levels.map(([low, high, name, colour], index) =>
        el("span", { class: "legend-item", style: `background:${colour};color:${index >= 4 ? "#fff" : "#1f2933"}` },
          `${low}–${high} ${name}`)));
  }

  /** An ISO 8601 time as the API answers it (China time), or epoch seconds, as "YYYY-MM-DD HH:MM" in China time. */
  const time = (value) => {
    if (value === null || value === undefined || value === "") return "";
    if (typeof value === "number") {
      const shifted = new Date(value * 1000 + 8 * 3600 * 1000).toISOString();
      return shifted.replace("T", " ").slice(0, 16);
    }
    return String(value).replace("T", " ").slice(0, 16);
  };
  const message = (error) => `${t("common_error")}：${error.message}`;

  return { t, api, el, table, aqiBadge, legend, time, message, csrf };
})();

/** Region ranking table, shared by the public page and the dashboard. */
async function renderRanking(container) {
  const { t, el, table, aqiBadge, api } = Lantian;
  try {
    const answer = await api("/api/v1/rankings/regions");
    const rows = answer.rows.map((row) => el("tr", { dataset: { region: row.code } },
      el("td", {}, row.monthRank ?? "—"),
      el("th", { scope: "row" }, row.name),
      el("td", {}, aqiBadge(row.aqi === null || row.aqi === undefined ? null : row)),
      el("td", {}, row.monthPM25 ?? "—"),
      el("td", {}, `${row.monthValidDays}/${row.monthDays}`),
      el("td", {}, row.changePercent === null || row.changePercent === undefined
        ? t("ranking_noLastYear") : `${row.changePercent > 0 ? "+" : ""}${row.changePercent}%`)));
    container.replaceChildren(
      table(`${answer.levelName} · ${answer.monthFrom} – ${answer.monthTo}`,
        [t("ranking_rank"), t("ranking_region"), t("ranking_now"), t("ranking_month"), t("ranking_validDays"), t("ranking_change")],
        rows, { id: "ranking-table" }),
      el("p", { class: "muted" }, t("ranking_explain")));
  } catch (error) {
    container.replaceChildren(el("p", { class: "notice error" }, Lantian.message(error)));
  }
}

/** A Leaflet map of the stations on a plain background (no tiles: the machine may be offline). */
async function stationMap(id, { regions = true, zones = false, link = false } = {}) {
  const { t, el, api } = Lantian;
  const node = document.getElementById(id);
  const latest = await api("/api/v1/latest");
  if (!node || typeof L === "undefined") return { latest, markers: [] };
  const map = L.map(node, { zoomControl: true, attributionControl: false });
  const layers = {};
  if (regions) {
    try {
      const geojson = await api("/api/v1/regions.geojson");
      layers[t("layer_regions")] = L.geoJSON(geojson, {
        style: { color: "#52606d", weight: 1, fillOpacity: 0.03 },
        // A text node, never HTML: a region's name comes from an imported file.
        onEachFeature: (feature, layer) => layer.bindTooltip(document.createTextNode(feature.properties?.name || "")),
      }).addTo(map);
    } catch { /* regions need sign-in on some deployments: the stations still show */ }
  }
  if (zones) {
    try {
      const list = await api("/api/v1/zones");
      const group = L.layerGroup(list.map((zone) => L.circle([zone.centre?.latitude ?? zone.latitude, zone.centre?.longitude ?? zone.longitude],
        { radius: zone.radius, color: "#0b5cab", weight: 1, fill: false, dashArray: "4" }))).addTo(map);
      layers[t("layer_zones")] = group;
    } catch { /* not signed in: no zones */ }
  }
  const markers = latest.map((station) => {
    const aqi = station.aqi;
    const colour = aqi?.colour || "#9aa5b1";
    const label = aqi?.aqi ?? "—";
    const icon = L.divIcon({
      className: "station-marker",
      html: `<span style="background:${colour};color:${aqi?.level >= 4 ? "#fff" : "#1f2933"}">${label}</span>`,
      iconSize: [34, 22],
    });
    const marker = L.marker([station.latitude, station.longitude], { icon, title: `${station.name} ${label}`, keyboard: true });
    marker.bindPopup(() => el("div", {},
      el("strong", {}, `${station.name}（${station.station}）`), el("br"),
      `AQI ${aqi?.aqi ?? t("aqi_noData")} ${aqi?.category ?? ""}`,
      link ? el("div", {}, el("a", { href: `/stations/${station.station}` }, t("layer_stations"))) : null));
    marker.getElement?.()?.setAttribute("data-station", station.station);
    return marker.addTo(map);
  });
  layers[t("layer_stations")] = L.layerGroup(markers);
  L.control.layers(null, layers).addTo(map);
  const bounds = L.latLngBounds(latest.map((s) => [s.latitude, s.longitude]));
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.15)); else map.setView([39.9, 116.4], 9);
  markers.forEach((marker, index) => marker.getElement()?.setAttribute("data-station", latest[index].station));
  return { latest, markers, map };
}
