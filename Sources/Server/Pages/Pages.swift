import Campaign
import Foundation
import Store
import Vapor

/// The pages people use all day: server-rendered frames (Leaf) whose data the pages' own small scripts
/// (`Public/js/`) fetch from the same JSON API the rest of the world uses, with the caller's session — so
/// a page never shows more than the API would give that user. Chinese by default, English by `/lang/en`.
///
/// | page | who |
/// |---|---|
/// | `/` public air quality | anyone |
/// | `/dashboard` command dashboard | `alerts.read` |
/// | `/stations/{code}` station | `stations.read` |
/// | `/alerts` alert queue and handling | `alerts.read` |
/// | `/cases`, `/cases/{id}` ledger | `cases.read` |
/// | `/field` my alerts and cases (phone) | `alerts.handle` or `cases.handle` |
/// | `/admin` administration | `users.manage` |
enum Pages {
    static let languageCookie = "lantian_lang"

    struct NavItem: Encodable, Sendable {
        var href: String
        var label: String
        var current: Bool
    }

    /// What every page's frame needs: language, the strings, navigation by role, the signed-in user and
    /// the session's CSRF token (sent by the scripts as `X-CSRF-Token`).
    struct Frame: Encodable, Sendable {
        var title: String
        var lang: String
        var t: [String: String]
        var stringsJSON: String
        var nav: [NavItem]
        var user: String?
        var role: String?
        var csrf: String?
        var demo: Bool
        var page: String
        var path: String
        var hasLeaflet: Bool
        var hasChart: Bool
    }

    struct Model<Data: Encodable & Sendable>: Encodable, Sendable {
        var frame: Frame
        var data: Data
    }

    struct Empty: Encodable, Sendable {}

    static func language(_ request: Request) -> Language {
        request.cookies[languageCookie].flatMap { Language(rawValue: $0.string) } ?? .zh
    }

    /// Where Debian puts the libraries the pages use; served under `/vendor/…`, never copied.
    static let vendorDirectories = [
        "leaflet": "/usr/share/javascript/leaflet/", "chart.js": "/usr/share/javascript/chart.js/",
    ]
    static let hasLeaflet = FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js")
    static let hasChart = FileManager.default.fileExists(atPath: "/usr/share/javascript/chart.js/chart.min.js")

    static func frame(_ request: Request, page: String, title: String, demo: Bool) -> Frame {
        let language = language(request)
        let strings = Strings.dictionary(language)
        let account = request.user
        var nav: [NavItem] = [NavItem(href: "/", label: strings["nav_public"]!, current: page == "public")]
        func add(_ href: String, _ key: String, _ id: String, _ permissions: [Permission]) {
            guard let account, permissions.contains(where: account.may) else { return }
            nav.append(NavItem(href: href, label: strings[key]!, current: page == id))
        }
        add("/dashboard", "nav_dashboard", "dashboard", [.alertsRead])
        add("/alerts", "nav_alerts", "alerts", [.alertsRead])
        add("/cases", "nav_cases", "cases", [.casesRead])
        add("/field", "nav_field", "field", [.alertsHandle, .casesHandle])
        add("/admin", "nav_admin", "admin", [.usersManage])
        let json = (try? JSONEncoder().encode(strings)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return Frame(
            title: title + " · " + strings["app_name"]!, lang: language.htmlCode, t: strings,
            // Safe inside <script type="application/json">: no "</" can close the element.
            stringsJSON: json.replacingOccurrences(of: "</", with: "<\\/"), nav: nav, user: account?.displayName,
            role: account?.role.displayName, csrf: request.identity?.csrfToken, demo: demo, page: page,
            path: request.url.path, hasLeaflet: hasLeaflet, hasChart: hasChart)
    }

    /// Renders `template` for a user the route's rule admits (see `refusal`).
    static func render<Data: Encodable & Sendable>(
        _ request: Request, _ template: String, page: String, titleKey: String, demo: Bool, data: Data
    ) async throws -> Response {
        if let refusal = try await refusal(request, page: page, demo: demo) { return refusal }
        let title = Strings.dictionary(language(request))[titleKey] ?? titleKey
        let model = Model(frame: frame(request, page: page, title: title, demo: demo), data: data)
        let response = try await request.view.render(template, model).encodeResponse(for: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The answer for someone who may not see the page: not signed in → the sign-in page (and back here);
    /// signed in without the route's permissions (from the one access table) → a refusal page. Nil: go on.
    static func refusal(_ request: Request, page: String, demo: Bool) async throws -> Response? {
        if let route = request.route, case .page(let permissions) = RouteAccess.rule(for: route) {
            guard let account = request.user else {
                return request.redirect(
                    to: "/login?next="
                        + (request.url.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/"))
            }
            guard permissions.contains(where: account.may) else {
                let frame = frame(
                    request, page: page, title: Strings.dictionary(language(request))["error_forbidden"]!, demo: demo)
                return try await request.view.render("forbidden", Model(frame: frame, data: Empty()))
                    .encodeResponse(status: .forbidden, for: request)
            }
        }
        return nil
    }

    struct StationData: Encodable, Sendable {
        var code: String
        var name: String
    }

    struct PublicData: Encodable, Sendable {
        var stationCount: Int
        var countText: String
        var stations: [HomePage.Model.StationRow]
    }

    struct CaseData: Encodable, Sendable {
        var id: String
    }

    static func register(on app: Application, demo: Bool) {
        app.get { request in
            let home = try await HomePage.query(database: request.db, demo: demo)
            let count = Strings.dictionary(language(request))["public_count"]!
                .replacingOccurrences(of: "{n}", with: String(home.stationCount))
            return try await render(
                request, "public", page: "public", titleKey: "public_title", demo: demo,
                data: PublicData(stationCount: home.stationCount, countText: count, stations: home.stations))
        }
        app.get("dashboard") { request in
            try await render(
                request, "dashboard", page: "dashboard", titleKey: "dashboard_title", demo: demo, data: Empty())
        }
        app.get("stations", ":code") { request in
            let code = try request.parameters.require("code")
            // Refused before looking: the answer does not say whether the station exists.
            if let refusal = try await refusal(request, page: "station", demo: demo) { return refusal }
            guard let user = request.user else { throw Abort(.unauthorized) }
            guard
                let station = try await StationRepository(database: request.db).station(
                    code: code, scope: try await UserStore(database: request.db).scope(of: user))
            else {
                throw Abort(.notFound, reason: "站点 \(code) 不存在 / no station \(code)")
            }
            return try await render(
                request, "station", page: "station", titleKey: station.name, demo: demo,
                data: StationData(code: station.code, name: station.name))
        }
        app.get("alerts") { request in
            try await render(
                request, "alerts", page: "alerts", titleKey: "alerts_title", demo: demo,
                data: Empty())
        }
        app.get("cases") { request in
            try await render(
                request, "cases", page: "cases", titleKey: "cases_title", demo: demo,
                data: Empty())
        }
        app.get("cases", ":id") { request in
            try await render(
                request, "case", page: "cases", titleKey: "cases_title", demo: demo,
                data: CaseData(id: try request.parameters.require("id")))
        }
        app.get("field") { request in
            try await render(
                request, "field", page: "field", titleKey: "field_title", demo: demo, data: Empty())
        }
        app.get("admin") { request in
            try await render(
                request, "admin", page: "admin", titleKey: "admin_title", demo: demo,
                data: Empty())
        }
        // The language switch: a cookie, then back where the user was.
        app.get("lang", ":code") { request -> Response in
            let language = Language(rawValue: try request.parameters.require("code")) ?? .zh
            let back = LoginPage.localPath(request.query[String.self, at: "next"])
            let response = request.redirect(to: back ?? "/")
            response.cookies[languageCookie] = HTTPCookies.Value(
                string: language.rawValue, maxAge: 365 * 86_400, path: "/", isHTTPOnly: true, sameSite: .lax)
            return response
        }
        // Leaflet and Chart.js from where Debian installs them (libjs-leaflet, libjs-chart.js).
        for (name, directory) in vendorDirectories {
            app.get("vendor", PathComponent(stringLiteral: name), "**") { request -> Response in
                let parts = request.parameters.getCatchall()
                guard !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0.hasPrefix(".") || $0.isEmpty }) else {
                    throw Abort(.notFound)
                }
                let path = directory + parts.joined(separator: "/")
                guard FileManager.default.fileExists(atPath: path) else {
                    throw Abort(.notFound, reason: "未安装 \(name)（Debian 软件包）/ \(name) is not installed")
                }
                let response = try await request.fileio.asyncStreamFile(at: path)
                response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=86400")
                return response
            }
        }
    }
}
