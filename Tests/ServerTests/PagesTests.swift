import Campaign
import Foundation
import LantianTestSupport
import Testing
import Vapor
import VaporTesting

@testable import Server

/// The pages: who may see which, what the public page must never show, the language switch, and the one
/// strings table — every key both languages, every key the templates and scripts use present.
@Suite("Pages")
struct PagesTests {
    @Test func everyStringHasBothLanguagesAndEveryUsedKeyExists() throws {
        for (key, value) in Strings.table {
            #expect(!value.zh.isEmpty && !value.en.isEmpty, "\(key) lacks a language")
            #expect(
                value.zh != value.en || key.hasPrefix("aqi.aqi") || key == "app.name" || key.hasPrefix("col."),
                "\(key) is not translated")
        }
        let keys = Set(Strings.dictionary(.zh).keys)
        #expect(keys == Set(Strings.dictionary(.en).keys))
        let root = RepositoryPaths.root
        var used: [String: String] = [:]
        let views = root.appendingPathComponent("Resources/Views")
        for file in try FileManager.default.contentsOfDirectory(atPath: views.path) where file.hasSuffix(".leaf") {
            let text = try String(contentsOf: views.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /frame\.t\.([A-Za-z0-9_]+)/) { used[String(match.1)] = file }
        }
        let scripts = root.appendingPathComponent("Public/js")
        for file in try FileManager.default.contentsOfDirectory(atPath: scripts.path) where file.hasSuffix(".js") {
            let text = try String(contentsOf: scripts.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /\bt\("([A-Za-z0-9_]+)"/) { used[String(match.1)] = file }
        }
        #expect(used.count > 80)
        for (key, file) in used { #expect(keys.contains(key), "\(file) uses \(key), which is not in Strings.table") }
    }

    @Test(arguments: TestDatabase.all)
    func eachPageForTheRolesThatMaySeeIt(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let anonymous = try app.testing()
            // Not signed in: the public page; every other page sends to sign-in and comes back.
            try await anonymous.test(.GET, "/") { response async throws in
                #expect(response.status == .ok && response.body.string.contains("id=\"stations\""))
                #expect(response.body.string.contains("<html lang=\"zh-CN\">"))
            }
            for path in ["/dashboard", "/alerts", "/cases", "/field", "/admin", "/stations/1001A"] {
                try await anonymous.test(.GET, path) { response async throws in
                    #expect(response.status == .seeOther, "\(path)")
                    #expect(response.headers.first(name: .location) == "/login?next=\(path)")
                }
            }
            let pages: [(Role, [String: HTTPResponseStatus])] = [
                (.command, ["/dashboard": .ok, "/alerts": .ok, "/cases": .ok, "/field": .ok, "/admin": .ok]),
                (.gridWorker, ["/dashboard": .ok, "/alerts": .ok, "/cases": .ok, "/field": .ok, "/admin": .forbidden]),
                (.auditor, ["/dashboard": .ok, "/cases": .ok, "/field": .forbidden, "/admin": .forbidden]),
                (.public, ["/dashboard": .forbidden, "/cases": .forbidden, "/field": .forbidden]),
            ]
            for (role, expected) in pages {
                let token = try await makeToken(app, role: role)
                for (path, status) in expected {
                    try await app.signedIn(token: token).test(.GET, path) { response async throws in
                        #expect(response.status == status, "\(role) \(path)")
                        if status == .forbidden { #expect(response.body.string.contains("无权查看")) }
                    }
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePublicPageShowsNoPrivateFieldAndNavigationFollowsTheRole(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            try await app.testing().test(.GET, "/") { response async throws in
                let page = response.body.string
                // Reporters of public complaints, device identities, people, units' internal notes.
                for secret in [
                    "王女士", "138****0000", "BJDEMO", BeijingDemo.devicePassword, "responsibleUnit", "reporter",
                ] {
                    #expect(!page.contains(secret), "the public page shows \(secret)")
                }
                #expect(page.contains("共 12 个站点") && !page.contains("href=\"/dashboard\""))
            }
            let grid = try await makeToken(app, role: .gridWorker)
            try await app.signedIn(token: grid).test(.GET, "/field") { response async throws in
                let page = response.body.string
                #expect(page.contains("href=\"/field\" aria-current=\"page\"") && !page.contains("href=\"/admin\""))
                // Signed in with a token, not a session: no CSRF token to hand to the scripts.
                #expect(!page.contains("name=\"csrf-token\""))
            }
        }
    }

    @Test(
        arguments: [
            ("/cases", "/cases"), ("/cases/1?x=1", "/cases/1?x=1"), ("//evil.example/", nil), ("/\\evil.example", nil),
            ("/\t/evil.example", nil), ("/%09/evil.example", "/%09/evil.example"), ("http://evil.example/", nil),
            ("cases", nil), ("/a b", nil), ("/\n/evil.example", nil),
        ] as [(String, String?)])
    func onlyPathsOnThisSiteAreFollowed(next: String, expected: String?) {
        #expect(LoginPage.localPath(next) == expected)
    }

    @Test func theLanguageSwitchSetsACookieAndReturnsOnlyToThisSite() async throws {
        try await withLantian(on: .sqlite, demo: true) { app, _, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "/lang/en?next=/cases") { response async throws in
                #expect(response.headers.first(name: .location) == "/cases")
                #expect(response.headers.setCookie?[Pages.languageCookie]?.string == "en")
            }
            for next in ["//evil.example/", "/%5Cevil.example", "/%09/evil.example"] {
                try await tester.test(.GET, "/lang/en?next=\(next)") { response async throws in
                    #expect(response.headers.first(name: .location) == "/", "\(next)")
                }
            }
            try await tester.test(.GET, "/", headers: ["Cookie": "\(Pages.languageCookie)=en"]) {
                response async throws in
                #expect(response.body.string.contains("<html lang=\"en\">"))
                #expect(
                    response.body.string.contains("Air quality now") && response.body.string.contains("12 stations"))
            }
        }
    }
}
