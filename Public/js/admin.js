// Administration: what is registered (stations, regions, units, people, users, rules, routing) and the
// GeoJSON upload of regions (all or nothing; a dry run first).
"use strict";
(async () => {
  const { t, el, api, table, message } = Lantian;
  async function show(id, path, headers, row) {
    const box = document.getElementById(id);
    try {
      const data = await api(path);
      const items = Array.isArray(data) ? data : data.routes || data.items || data.units || data.people || data.users || [];
      box.replaceChildren(items.length === 0 ? el("p", {}, id === "routing-table" ? t("admin_routingDefault") : t("common_none")) :
        table(`${items.length}`, headers, items.map((item) => el("tr", {}, row(item).map((v) => el("td", {}, v ?? "—"))))));
    } catch (error) { box.replaceChildren(el("p", { class: "notice error" }, message(error))); }
  }
  show("stations-table", "/api/v1/stations", [t("col_code"), t("col_name"), t("col_kind"), t("col_region"), t("col_status")],
    (s) => [el("a", { href: `/stations/${s.code}` }, s.code), s.name, s.kindName || s.kind, s.regionCode, s.statusName || s.status]);
  show("regions-table", "/api/v1/regions", [t("col_code"), t("col_name"), t("col_level"), t("col_parent")], (r) => [r.code, r.name, r.levelName || r.level, r.parentCode]);
  show("units-table", "/api/v1/units", [t("col_code"), t("col_name"), t("col_kind"), t("col_region")], (u) => [u.code, u.name, u.kindName || u.kind, u.regionCode]);
  show("people-table", "/api/v1/people", [t("col_person"), t("col_unit"), t("col_title")], (p) => [p.name, p.unitCode, p.title]);
  show("users-table", "/api/v1/users", [t("col_username"), t("col_person"), t("col_role"), t("col_unit"), t("col_disabled")],
    (u) => [u.username, u.displayName, u.roleName || u.role, u.unitCode, u.disabled ? "✓" : ""]);
  // Alert rules: enable or disable one (the running engine takes it at once).
  async function showRules() {
    await show("rules-table", "/api/v1/alert-rules", [t("col_id"), t("col_name"), t("col_enabled"), t("col_severity"), ""],
      (r) => [r.id, r.name, r.enabled ? "✓" : "✗", r.severity,
        el("button", { type: "button", class: "toggle-rule", dataset: { rule: r.id }, onclick: async (event) => {
          event.currentTarget.disabled = true;
          try { await api(`/api/v1/alert-rules/${encodeURIComponent(r.id)}`, { method: "PUT", body: { ...r, enabled: !r.enabled } }); showRules(); }
          catch (error) { event.currentTarget.after(el("span", { class: "error", role: "alert" }, message(error))); }
        } }, r.enabled ? t("admin_disable") : t("admin_enable"))]);
  }
  showRules();
  show("routing-table", "/api/v1/case-routing", [t("col_name"), t("col_categories"), t("col_regions"), t("col_unit"), t("col_cooperating")],
    (r) => [r.name, (r.categories || ["*"]).join("、"), (r.regionCodes || ["*"]).join("、"), r.unitCode || t("admin_township"), r.cooperatingUnits.join("、")]);

  // The routing table as JSON: checked by the server (every unit must exist), audited.
  const routingText = document.getElementById("routing-json");
  api("/api/v1/case-routing").then((table) => { routingText.value = JSON.stringify(table, null, 2); })
    .catch((error) => { routingText.value = message(error); });
  document.getElementById("routing-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = document.getElementById("routing-result");
    try {
      const table = JSON.parse(routingText.value);
      await api("/api/v1/case-routing", { method: "PUT", body: table });
      result.textContent = t("admin_saved");
      show("routing-table", "/api/v1/case-routing", [t("col_name"), t("col_categories"), t("col_regions"), t("col_unit"), t("col_cooperating")],
        (r) => [r.name, (r.categories || ["*"]).join("、"), (r.regionCodes || ["*"]).join("、"), r.unitCode || t("admin_township"), r.cooperatingUnits.join("、")]);
    } catch (error) {
      result.textContent = `${message(error)}\n${(error.problems || []).map((p) => `${p.field}: ${p.message}`).join("\n")}`;
    }
  });

  // A new user account.
  const userForm = document.getElementById("user-form");
  userForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = document.getElementById("user-result");
    const body = {};
    for (const [name, value] of new FormData(userForm)) if (value) body[name] = value;
    try {
      const user = await api("/api/v1/users", { method: "POST", body });
      result.textContent = `${t("admin_created")}：${user.username}`;
      userForm.reset();
      show("users-table", "/api/v1/users", [t("col_username"), t("col_person"), t("col_role"), t("col_unit"), t("col_disabled")],
        (u) => [u.username, u.displayName, u.roleName || u.role, u.unitCode, u.disabled ? "✓" : ""]);
    } catch (error) {
      result.textContent = `${message(error)} ${(error.problems || []).map((p) => `${p.field}: ${p.message}`).join("; ")}`;
    }
  });

  const form = document.getElementById("regions-upload");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = document.getElementById("regions-result");
    const file = document.getElementById("regions-file").files[0];
    const dryRun = document.getElementById("regions-dry-run").checked;
    try {
      const text = await file.text();
      const answer = await api(`/api/v1/regions/import${dryRun ? "?dryRun=true" : ""}`,
        { method: "POST", body: text, contentType: "application/geo+json" });
      result.textContent = `${t("admin_uploaded")}：${JSON.stringify(answer)}`;
    } catch (error) {
      result.textContent = `${message(error)}\n${(error.problems || []).map((p) => `${p.field}: ${p.message}`).join("\n")}`;
    }
  });
})();
