// The public page: current AQI on a map and in the station table, and the regions side by side.
"use strict";
(async () => {
  const { el, aqiBadge, legend, time, message } = Lantian;
  legend(document.getElementById("legend"));
  renderRanking(document.getElementById("ranking"));
  try {
    const { latest } = await stationMap("map", { regions: false });
    for (const station of latest) {
      const cell = document.querySelector(`[data-aqi-for="${CSS.escape(station.station)}"]`);
      if (!cell) continue;
      cell.replaceChildren(aqiBadge(station.aqi));
      document.querySelector(`[data-category-for="${CSS.escape(station.station)}"]`).textContent = station.aqi?.category ?? "";
      document.querySelector(`[data-primary-for="${CSS.escape(station.station)}"]`).textContent =
        (station.aqi?.primaryPollutants || []).join("、");
      document.querySelector(`[data-hour-for="${CSS.escape(station.station)}"]`).textContent = time(station.aqiHour);
    }
  } catch (error) {
    document.getElementById("stations").before(el("p", { class: "notice error" }, message(error)));
  }
})();
