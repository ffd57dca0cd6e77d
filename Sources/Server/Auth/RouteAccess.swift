import Campaign
import Vapor

/// THE access table: every route the application registers, with what it takes to call it. A route
/// missing here is refused (403) by `AccessMiddleware`, and `AccessMatrixTests` fails, so a new route
/// cannot slip in unprotected. What each role may do is `RolePermissions.table`; which items it sees is
/// `AccessScope`, applied in the repositories.
enum RouteAccess {
    enum Rule: Sendable, Hashable {
        /// Anyone, signed in or not: public monitoring data, operations, the sign-in itself.
        case open
        /// Any signed-in user.
        case signedIn
        /// A signed-in user whose role has this permission.
        case permission(Permission)
        /// A page for users holding any of these permissions. The page itself sends anyone not signed in
        /// to the sign-in page (and back) and shows a refusal page (403) to a role without them.
        case page([Permission])
    }

    static let table: [String: Rule] = [
        // Operations and pages.
        "GET /": .open,
        "GET /healthz": .open,
        "GET /readyz": .open,
        "GET /metrics": .open,
        "GET /login": .open,
        // Pages: each checks sign-in and its permissions itself (redirect to /login, or a 403 page), and
        // fetches its data from the API with the session, so a page shows no more than the API would.
        "GET /dashboard": .page([.alertsRead]),
        "GET /stations/:code": .page([.stationsRead]),
        "GET /alerts": .page([.alertsRead]),
        "GET /cases": .page([.casesRead]),
        "GET /cases/:id": .page([.casesRead]),
        "GET /field": .page([.alertsHandle, .casesHandle]),
        "GET /admin": .page([.usersManage]),
        "GET /lang/:code": .open,
        "GET /vendor/leaflet/**": .open,
        "GET /vendor/chart.js/**": .open,
        "POST /login": .open,
        "POST /logout": .open,
        // Open311 GeoReport v2: open reads of public complaints; the create checks its own api_key.
        "GET /open311/v2/services.json": .open,
        "GET /open311/v2/services/:code": .open,
        "GET /open311/v2/requests.json": .open,
        "POST /open311/v2/requests.json": .open,
        "GET /open311/v2/requests/:id": .open,
        // The API's description and sign-in.
        "GET /api/v1/openapi.json": .open,
        "POST /api/v1/auth/token": .open,
        "DELETE /api/v1/auth/token": .signedIn,
        "GET /api/v1/auth/me": .signedIn,
        // Public monitoring data: AQI and latest values (the public AQI page shows the same).
        "GET /api/v1/latest": .open,
        "GET /api/v1/rankings/regions": .open,
        "GET /api/v1/stations/:code/aqi": .open,
        "GET /api/v1/regions/:code/aqi": .open,
        // The station registry (with HJ 212 identities) and raw readings: signed in, scoped.
        "GET /api/v1/stations": .permission(.stationsRead),
        "GET /api/v1/stations/:code": .permission(.stationsRead),
        "GET /api/v1/stations/:code/readings": .permission(.stationsRead),
        "POST /api/v1/stations": .permission(.stationsCreate),
        "PATCH /api/v1/stations/:code": .permission(.stationsUpdate),
        "POST /api/v1/readings": .permission(.readingsWrite),
        // Organisation.
        "GET /api/v1/units": .permission(.organisationRead),
        "GET /api/v1/units/:code": .permission(.organisationRead),
        "POST /api/v1/units": .permission(.unitsWrite),
        "POST /api/v1/units/import": .permission(.unitsWrite),
        "PATCH /api/v1/units/:code": .permission(.unitsWrite),
        "GET /api/v1/people": .permission(.organisationRead),
        "GET /api/v1/people/:id": .permission(.organisationRead),
        "POST /api/v1/people": .permission(.peopleWrite),
        "POST /api/v1/people/import": .permission(.peopleWrite),
        "PATCH /api/v1/people/:id": .permission(.peopleWrite),
        "DELETE /api/v1/people/:id": .permission(.peopleWrite),
        "GET /api/v1/assignments": .permission(.organisationRead),
        "POST /api/v1/assignments": .permission(.assignmentsWrite),
        "DELETE /api/v1/assignments/:id": .permission(.assignmentsWrite),
        "GET /api/v1/contracts": .permission(.organisationRead),
        "GET /api/v1/contracts/:id": .permission(.organisationRead),
        "POST /api/v1/contracts": .permission(.contractsWrite),
        "PATCH /api/v1/contracts/:id": .permission(.contractsWrite),
        "DELETE /api/v1/contracts/:id": .permission(.contractsWrite),
        "GET /api/v1/rosters": .permission(.organisationRead),
        "GET /api/v1/rosters/on-duty": .permission(.organisationRead),
        "POST /api/v1/rosters": .permission(.rostersWrite),
        "DELETE /api/v1/rosters/:id": .permission(.rostersWrite),
        "GET /api/v1/regions/:code/responsible": .permission(.organisationRead),
        // Regions with their boundaries, locating a point, the zones around control stations (scoped by station).
        "GET /api/v1/regions": .permission(.organisationRead),
        "GET /api/v1/regions.geojson": .permission(.organisationRead),
        "GET /api/v1/regions/:code": .permission(.organisationRead),
        "POST /api/v1/regions": .permission(.regionsWrite),
        "POST /api/v1/regions/import": .permission(.regionsWrite),
        "PATCH /api/v1/regions/:code": .permission(.regionsWrite),
        "GET /api/v1/locate": .permission(.organisationRead),
        "GET /api/v1/zones": .permission(.organisationRead),
        "GET /api/v1/zones/:id": .permission(.organisationRead),
        // Alerts (scoped: a unit officer their unit's, a grid worker their grids' and their own).
        "GET /api/v1/alerts": .permission(.alertsRead),
        "GET /api/v1/alerts/statistics": .permission(.alertsRead),
        "GET /api/v1/alerts/stream": .permission(.alertsRead),
        "GET /api/v1/alerts/:id": .permission(.alertsRead),
        "POST /api/v1/alerts/:id/acknowledge": .permission(.alertsHandle),
        "POST /api/v1/alerts/:id/handle": .permission(.alertsHandle),
        "POST /api/v1/alerts/:id/return": .permission(.alertsVerify),
        "POST /api/v1/alerts/:id/verify": .permission(.alertsVerify),
        "POST /api/v1/alerts/:id/close": .permission(.alertsVerify),
        "POST /api/v1/alerts/:id/dispatch": .permission(.alertsDispatch),
        "POST /api/v1/alerts/:id/convert_to_case": .permission(.alertsDispatch),
        "GET /api/v1/alert-rules": .permission(.alertsRead),
        "PUT /api/v1/alert-rules/:id": .permission(.alertRulesWrite),
        // The ledger: cases (scoped), the steps (each with the permission its actor needs), evidence, figures.
        "GET /api/v1/cases": .permission(.casesRead),
        "POST /api/v1/cases": .permission(.casesCreate),
        "GET /api/v1/cases/statistics": .permission(.casesRead),
        "POST /api/v1/cases/import": .permission(.casesAssign),
        "GET /api/v1/cases/duplicates": .permission(.casesRead),
        "GET /api/v1/cases/:id": .permission(.casesRead),
        "POST /api/v1/cases/:id/assign": .permission(.casesAssign),
        "POST /api/v1/cases/:id/grant_extension": .permission(.casesAssign),
        "POST /api/v1/cases/:id/start_rectifying": .permission(.casesHandle),
        "POST /api/v1/cases/:id/submit": .permission(.casesHandle),
        "POST /api/v1/cases/:id/request_extension": .permission(.casesHandle),
        "POST /api/v1/cases/:id/return": .permission(.casesVerify),
        "POST /api/v1/cases/:id/close": .permission(.casesVerify),
        "POST /api/v1/cases/:id/close_not_fixed": .permission(.casesVerify),
        "POST /api/v1/cases/:id/revisit_passed": .permission(.casesVerify),
        "POST /api/v1/cases/:id/revisit_failed": .permission(.casesVerify),
        "POST /api/v1/cases/:id/attachments": .permission(.casesHandle),
        "GET /api/v1/attachments/:id": .permission(.casesRead),
        "GET /api/v1/attachments/:id/thumbnail": .permission(.casesRead),
        "GET /api/v1/case-routing": .permission(.casesRead),
        "PUT /api/v1/case-routing": .permission(.caseRoutingWrite),
        "GET /api/v1/accountability": .permission(.accountabilityRead),
        "POST /api/v1/accountability": .permission(.accountabilityWrite),
        // User accounts.
        "GET /api/v1/users": .permission(.usersRead),
        "GET /api/v1/users/:id": .permission(.usersRead),
        "POST /api/v1/users": .permission(.usersManage),
        "PATCH /api/v1/users/:id": .permission(.usersManage),
        "POST /api/v1/users/:id/disable": .permission(.usersManage),
        "POST /api/v1/users/:id/password": .permission(.usersManage),
    ]

    /// `METHOD /path` with `:name` for parameters, as the table writes it.
    static func key(method: HTTPMethod, path: [PathComponent]) -> String {
        let components = path.map { component -> String in
            switch component {
            case .constant(let text): text
            case .parameter(let name): ":\(name)"
            case .anything: "*"
            case .catchall: "**"
            }
        }
        return "\(method.rawValue) /" + components.joined(separator: "/")
    }

    static func rule(for route: Route) -> Rule? {
        table[key(method: route.method, path: route.path)]
    }
}
