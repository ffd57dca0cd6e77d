import Campaign
import Logging
import Store
import Testing

@testable import Server

@Suite("Configuration")
struct ConfigurationTests {
    @Test func defaultsUseAnSQLiteFileUnderTheDataDirectory() throws {
        let configuration = try LantianConfiguration.resolve(environment: [:])
        #expect(configuration.httpPort == 8080)
        #expect(configuration.hj212Port == 8212)
        #expect(configuration.httpHost == "127.0.0.1")
        #expect(configuration.logLevel == .info)
        #expect(configuration.dataDirectory.hasSuffix("/data"))
        #expect(configuration.database == .sqliteFile(path: configuration.dataDirectory + "/lantian.sqlite"))
    }

    @Test func demoWithoutDatabaseURLUsesDemoSQLiteInTheDataDirectory() throws {
        let configuration = try LantianConfiguration.resolve(
            environment: ["LANTIAN_DATA_DIR": "/tmp/lantian-demo"], overrides: .init(demo: true))
        #expect(configuration.database == .sqliteFile(path: "/tmp/lantian-demo/demo.sqlite"))
        #expect(configuration.demo)
    }

    @Test func environmentIsRead() throws {
        let configuration = try LantianConfiguration.resolve(environment: [
            "DATABASE_URL": "postgres://lantian:secret@db.internal:5433/lantian",
            "LANTIAN_HTTP_HOST": "0.0.0.0",
            "LANTIAN_HTTP_PORT": "9000",
            "LANTIAN_HJ212_PORT": "9212",
            "LANTIAN_LOG_LEVEL": "DEBUG",
            "LANTIAN_LOG_FORMAT": "json",
            "LANTIAN_DB_POOL_SIZE": "8",
        ])
        #expect(configuration.database == .postgres(url: "postgres://lantian:secret@db.internal:5433/lantian"))
        #expect(configuration.database.description == "postgres://lantian:***@db.internal:5433/lantian")
        #expect(configuration.httpHost == "0.0.0.0")
        #expect(configuration.httpPort == 9000)
        #expect(configuration.hj212Port == 9212)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.logFormat == .json)
        #expect(configuration.databasePoolSize == 8)
    }

    @Test func flagsWinOverEnvironment() throws {
        let configuration = try LantianConfiguration.resolve(
            environment: ["LANTIAN_HTTP_PORT": "9000", "LANTIAN_HTTP_HOST": "0.0.0.0", "LANTIAN_LOG_LEVEL": "debug"],
            overrides: .init(httpHost: "127.0.0.2", httpPort: 9100, logLevel: "warning"))
        #expect(configuration.httpPort == 9100)
        #expect(configuration.httpHost == "127.0.0.2")
        #expect(configuration.logLevel == .warning)
    }

    @Test(
        arguments: [
            ("sqlite:///var/lib/lantian/db.sqlite", DatabaseLocation.sqliteFile(path: "/var/lib/lantian/db.sqlite")),
            ("sqlite::memory:", .sqliteMemory),
            (
                "postgresql://u@127.0.0.1/db?sslmode=disable",
                .postgres(url: "postgresql://u@127.0.0.1/db?sslmode=disable")
            ),
        ])
    func databaseURLForms(url: String, expected: DatabaseLocation) throws {
        let configuration = try LantianConfiguration.resolve(environment: ["DATABASE_URL": url])
        #expect(configuration.database == expected)
    }

    /// Each bad value, alone, is named in the error together with what was expected.
    @Test(
        arguments: [
            ("LANTIAN_HTTP_PORT", "eighty", "LANTIAN_HTTP_PORT=eighty"),
            ("LANTIAN_HTTP_PORT", "70000", "0–65535"),
            ("LANTIAN_HJ212_PORT", "-1", "LANTIAN_HJ212_PORT=-1"),
            ("LANTIAN_LOG_LEVEL", "loud", "one of: trace, debug, info"),
            ("LANTIAN_LOG_FORMAT", "xml", "one of: text, json"),
            ("LANTIAN_DB_POOL_SIZE", "0", "1–64"),
            ("LANTIAN_HTTP_HOST", "", "LANTIAN_HTTP_HOST=（空）"),
            ("LANTIAN_DATA_DIR", "", "LANTIAN_DATA_DIR"),
            ("DATABASE_URL", "mysql://db/lantian", "expected sqlite:///absolute/path"),
            ("DATABASE_URL", "sqlite://relative.sqlite", "absolute file path"),
            ("DATABASE_URL", "postgres://", "needs a host and a database name"),
            ("LANTIAN_ALERT_DEADLINE_MINUTES", "0", "an integer 1–1440"),
            ("LANTIAN_ALERT_ESCALATION_MINUTES", "90,60,120", "three increasing minute counts"),
            ("LANTIAN_ALERT_ESCALATION_MINUTES", "60,90", "three increasing minute counts"),
            ("LANTIAN_ALERT_WEBHOOKS", "https://ok.example/hook,ftp://relay/x", "an http:// or https:// URL"),
        ])
    func badValueIsNamed(name: String, value: String, expectedText: String) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try LantianConfiguration.resolve(environment: [name: value])
        }
        #expect(error?.problems.count == 1)
        #expect(error?.description.contains(expectedText) == true, "\(error?.description ?? "")")
    }

    @Test func everyBadSettingIsReportedInOneMessage() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try LantianConfiguration.resolve(environment: [
                "LANTIAN_HTTP_PORT": "abc", "LANTIAN_LOG_LEVEL": "loud", "DATABASE_URL": "mysql://x/y",
            ])
        }
        #expect(error?.problems.count == 3)
        let message = error?.description ?? ""
        #expect(message.hasPrefix("配置有误"))
        for name in ["LANTIAN_HTTP_PORT", "LANTIAN_LOG_LEVEL", "DATABASE_URL"] {
            #expect(message.contains(name))
        }
    }

    @Test func samePortForBothServicesIsRefused() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try LantianConfiguration.resolve(environment: ["LANTIAN_HTTP_PORT": "8212"])
        }
        #expect(error?.description.contains("must differ") == true)
    }

    @Test func badFlagIsNamedByItsFlag() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try LantianConfiguration.resolve(environment: [:], overrides: .init(httpPort: 123_456))
        }
        #expect(error?.description.contains("--port 123456") == true)
    }

    @Test func passwordsNeverAppearInErrors() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try LantianConfiguration.resolve(environment: ["DATABASE_URL": "postgres://u:hunter2@host"])
        }
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func alertSettingsReachTheEscalationPolicy() throws {
        let configuration = try LantianConfiguration.resolve(environment: [
            "LANTIAN_ALERT_DEADLINE_MINUTES": "30", "LANTIAN_ALERT_ESCALATION_MINUTES": "30, 45,90",
            "LANTIAN_ALERT_WEBHOOKS": "https://relay.example/hook, http://127.0.0.1:9000/x",
        ])
        #expect(configuration.alertWebhooks == ["https://relay.example/hook", "http://127.0.0.1:9000/x"])
        let policy = AlertRuntime.escalation(configuration)
        #expect(policy.handlingMinutes == 30)
        #expect(policy.steps.map(\.afterMinutes) == [30, 45, 90])
        #expect(policy.problems.isEmpty)
        #expect(AlertRuntime.escalation(try LantianConfiguration.resolve(environment: [:])) == EscalationPolicy())
    }
}
