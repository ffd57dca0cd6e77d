import Campaign
import Foundation
import Logging
import Store

/// Everything `lantian` needs to run, built once from the environment and the command line.
///
/// Precedence (highest first): command-line flags, then `LANTIAN_*`/`DATABASE_URL` environment
/// variables, then the defaults below. Every problem is collected, so one start reports all of them.
public struct LantianConfiguration: Sendable, Equatable {
    public var database: DatabaseLocation
    public var dataDirectory: String
    public var httpHost: String
    public var httpPort: Int
    public var hj212Port: Int
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// PostgreSQL connections per event loop (SQLite always uses one).
    public var databasePoolSize: Int
    /// Seed and serve the Beijing demo.
    public var demo: Bool
    /// With `demo`: replay the committed Beijing series onto today's clock (off in tests that need a quiet database).
    public var demoReplay: Bool
    /// bcrypt cost for new password hashes (12 in production; tests may lower it).
    public var bcryptCost: Int
    /// How long an API token from `POST /api/v1/auth/token` lives, and a browser session.
    public var tokenLifetimeSeconds: Int
    /// Mark the session cookie `Secure` (behind HTTPS).
    public var secureCookies: Bool
    /// The first administrator's password is read from this file instead of being generated.
    public var adminPasswordFile: String?
    /// Alert notices are POSTed to these URLs (`LANTIAN_ALERT_WEBHOOKS`, comma separated).
    public var alertWebhooks: [String] = []
    /// Minutes an alert may wait for handling before it escalates (`LANTIAN_ALERT_DEADLINE_MINUTES`).
    public var alertDeadlineMinutes = 60
    /// Minutes after dispatch at which an unhandled alert reaches the township head, the contracting
    /// leader and the HQ (`LANTIAN_ALERT_ESCALATION_MINUTES`, e.g. `60,90,120`); empty: the deadline,
    /// then +30 and +60 minutes.
    public var alertEscalationMinutes: [Int] = []
    /// Radii in metres of the zones around national and provincial stations: the core zone (500 m by
    /// default) and the control zone (1,000 m); `LANTIAN_ZONE_CORE_RADIUS`, `LANTIAN_ZONE_CONTROL_RADIUS`.
    public var zoneRadii: [Double] = ControlZone.defaultRadii
    /// The largest evidence file accepted, in megabytes (`LANTIAN_ATTACHMENT_MAX_MB`, 10 by default).
    public var attachmentMaxMegabytes = 10
    /// API keys accepted by the Open311 create (`LANTIAN_OPEN311_API_KEYS`, comma separated). Empty: no
    /// one may create (reads stay open); the demo then accepts `demo-open311-key`.
    public var open311APIKeys: [String] = []

    /// The key `serve --demo` accepts when no keys are configured.
    public static let demoOpen311Key = "demo-open311-key"

    /// The keys in force: the configured ones, or the demo key in demo mode.
    public var effectiveOpen311Keys: Set<String> {
        if open311APIKeys.isEmpty && demo { return [Self.demoOpen311Key] }
        return Set(open311APIKeys)
    }

    public enum LogFormat: String, Sendable, Equatable, CaseIterable {
        case text
        case json
    }

    public static let defaultHTTPPort = 8080
    public static let defaultHJ212Port = 8212
    public static let defaultDataDirectory = "./data"

    /// The values a command line may set; `nil` leaves the environment or default in force.
    public struct Overrides: Sendable, Equatable {
        public var httpHost: String?
        public var httpPort: Int?
        public var hj212Port: Int?
        public var dataDirectory: String?
        public var logLevel: String?
        public var demo: Bool = false

        public init(
            httpHost: String? = nil,
            httpPort: Int? = nil,
            hj212Port: Int? = nil,
            dataDirectory: String? = nil,
            logLevel: String? = nil,
            demo: Bool = false
        ) {
            self.httpHost = httpHost
            self.httpPort = httpPort
            self.hj212Port = hj212Port
            self.dataDirectory = dataDirectory
            self.logLevel = logLevel
            self.demo = demo
        }
    }

    public init(
        database: DatabaseLocation,
        dataDirectory: String = Self.defaultDataDirectory,
        httpHost: String = "127.0.0.1",
        httpPort: Int = Self.defaultHTTPPort,
        hj212Port: Int = Self.defaultHJ212Port,
        logLevel: Logger.Level = .info,
        logFormat: LogFormat = .text,
        databasePoolSize: Int = 4,
        demo: Bool = false,
        demoReplay: Bool = true,
        bcryptCost: Int = 12,
        tokenLifetimeSeconds: Int = 12 * 3600,
        secureCookies: Bool = false,
        adminPasswordFile: String? = nil
    ) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.hj212Port = hj212Port
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.databasePoolSize = databasePoolSize
        self.demo = demo
        self.demoReplay = demoReplay
        self.bcryptCost = bcryptCost
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.secureCookies = secureCookies
        self.adminPasswordFile = adminPasswordFile
    }

    /// Builds the configuration or throws one error naming every bad setting.
    public static func resolve(
        environment: [String: String],
        overrides: Overrides = Overrides()
    ) throws(ConfigurationError) -> LantianConfiguration {
        var reader = SettingReader(environment: environment)

        let dataDirectory = reader.string(
            overrides.dataDirectory, env: "LANTIAN_DATA_DIR", default: defaultDataDirectory)
        if dataDirectory.isEmpty {
            reader.fail("LANTIAN_DATA_DIR", value: dataDirectory, expected: "一个目录路径 / a directory path")
        }
        let host = reader.string(overrides.httpHost, env: "LANTIAN_HTTP_HOST", default: "127.0.0.1")
        if host.isEmpty || host.contains(" ") {
            reader.fail("LANTIAN_HTTP_HOST", value: host, expected: "主机名或 IP 地址 / a host name or IP address")
        }
        let httpPort = reader.port(overrides.httpPort, "--port", env: "LANTIAN_HTTP_PORT", default: defaultHTTPPort)
        let hj212Port = reader.port(
            overrides.hj212Port, "--hj212-port", env: "LANTIAN_HJ212_PORT", default: defaultHJ212Port)
        if httpPort == hj212Port, httpPort != 0 {
            reader.problems.append(
                "LANTIAN_HTTP_PORT 与 LANTIAN_HJ212_PORT 相同（\(httpPort)），两个服务不能共用端口"
                    + " / the HTTP and HJ 212 ports must differ")
        }
        let logLevel = reader.logLevel(overrides.logLevel)
        let logFormat = reader.choice(env: "LANTIAN_LOG_FORMAT", default: LogFormat.text)
        let poolSize = reader.integer(env: "LANTIAN_DB_POOL_SIZE", default: 4, range: 1...64)
        let bcryptCost = reader.integer(env: "LANTIAN_BCRYPT_COST", default: 12, range: 4...31)
        let tokenHours = reader.integer(env: "LANTIAN_TOKEN_HOURS", default: 12, range: 1...24 * 90)
        var secureCookies = false
        if let text = environment["LANTIAN_SECURE_COOKIES"] {
            switch text.lowercased() {
            case "1", "true", "yes": secureCookies = true
            case "0", "false", "no": secureCookies = false
            default: reader.fail("LANTIAN_SECURE_COOKIES", value: text, expected: " true 或 false / true or false")
            }
        }
        let adminPasswordFile = environment["LANTIAN_ADMIN_PASSWORD_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let coreRadius = reader.integer(
            env: "LANTIAN_ZONE_CORE_RADIUS", default: Int(ControlZone.defaultRadii[0]), range: 1...100_000)
        let controlRadius = reader.integer(
            env: "LANTIAN_ZONE_CONTROL_RADIUS", default: Int(ControlZone.defaultRadii[1]), range: 1...100_000)
        if coreRadius >= controlRadius {
            reader.problems.append(
                "LANTIAN_ZONE_CORE_RADIUS（\(coreRadius)）应小于 LANTIAN_ZONE_CONTROL_RADIUS（\(controlRadius)）"
                    + " / the core zone radius must be smaller than the control zone radius")
        }

        let database: DatabaseLocation
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            switch DatabaseLocation.parse(url) {
            case .success(let location): database = location
            case .failure(let error):
                reader.problems.append("DATABASE_URL=\(error.value)：\(error.reason)")
                database = .sqliteMemory
            }
        } else {
            // DESIGN: without DATABASE_URL the demo lives in LANTIAN_DATA_DIR/demo.sqlite and a real
            // deployment in LANTIAN_DATA_DIR/lantian.sqlite, so the two never mix.
            let file = overrides.demo ? "demo.sqlite" : "lantian.sqlite"
            database = .sqliteFile(path: absolutePath(dataDirectory + "/" + file))
        }

        let deadline = reader.integer(env: "LANTIAN_ALERT_DEADLINE_MINUTES", default: 60, range: 1...1440)
        let attachmentMegabytes = reader.integer(env: "LANTIAN_ATTACHMENT_MAX_MB", default: 10, range: 1...30)
        let open311Keys = (environment["LANTIAN_OPEN311_API_KEYS"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        for key in open311Keys where key.count < 16 {
            reader.fail(
                "LANTIAN_OPEN311_API_KEYS", value: String(key.prefix(4)) + "…",
                expected: "每个密钥至少 16 个字符 / every key at least 16 characters")
        }
        var escalation: [Int] = []
        if let text = environment["LANTIAN_ALERT_ESCALATION_MINUTES"], !text.isEmpty {
            let minutes = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if minutes.count == 3, let values = minutes as? [Int], values.allSatisfy({ (1...10_080).contains($0) }),
                values == values.sorted(), Set(values).count == 3
            {
                escalation = values
            } else {
                reader.fail(
                    "LANTIAN_ALERT_ESCALATION_MINUTES", value: text,
                    expected: "三个递增的分钟数，如 60,90,120 / three increasing minute counts, e.g. 60,90,120")
            }
        }
        let webhooks = (environment["LANTIAN_ALERT_WEBHOOKS"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        for url in webhooks
        where !(url.hasPrefix("http://") || url.hasPrefix("https://")) || URL(string: url)?.host == nil {
            reader.fail(
                "LANTIAN_ALERT_WEBHOOKS", value: url, expected: " http:// 或 https:// 网址 / an http:// or https:// URL")
        }

        if !reader.problems.isEmpty {
            throw ConfigurationError(problems: reader.problems)
        }
        var configuration = LantianConfiguration(
            database: database,
            dataDirectory: absolutePath(dataDirectory),
            httpHost: host,
            httpPort: httpPort,
            hj212Port: hj212Port,
            logLevel: logLevel,
            logFormat: logFormat,
            databasePoolSize: poolSize,
            demo: overrides.demo,
            bcryptCost: bcryptCost,
            tokenLifetimeSeconds: tokenHours * 3600,
            secureCookies: secureCookies,
            adminPasswordFile: adminPasswordFile
        )
        configuration.alertWebhooks = webhooks
        configuration.alertDeadlineMinutes = deadline
        configuration.alertEscalationMinutes = escalation
        configuration.zoneRadii = [Double(coreRadius), Double(controlRadius)]
        configuration.attachmentMaxMegabytes = attachmentMegabytes
        configuration.open311APIKeys = open311Keys
        return configuration
    }

    static func absolutePath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return url.standardizedFileURL.path
    }
}

/// One message naming every bad setting and what it expects.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public var problems: [String]

    public var description: String {
        "配置有误，lantian 未启动 / invalid configuration, lantian did not start:\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Reads one setting at a time, remembering every problem.
private struct SettingReader {
    let environment: [String: String]
    var problems: [String] = []

    mutating func fail(_ name: String, value: String, expected: String) {
        problems.append("\(name)=\(value.isEmpty ? "（空）" : value)：应为\(expected)")
    }

    func string(_ flag: String?, env: String, default value: String) -> String {
        flag ?? environment[env] ?? value
    }

    mutating func port(_ flag: Int?, _ flagName: String, env: String, default value: Int) -> Int {
        if let flag {
            guard (0...65535).contains(flag) else {
                problems.append("\(flagName) \(flag)：应为 0–65535 之间的端口号 / expected a port number 0–65535")
                return value
            }
            return flag
        }
        guard let text = environment[env] else { return value }
        guard let port = Int(text), (0...65535).contains(port) else {
            fail(env, value: text, expected: " 0–65535 之间的端口号 / a port number 0–65535")
            return value
        }
        return port
    }

    mutating func integer(env: String, default value: Int, range: ClosedRange<Int>) -> Int {
        guard let text = environment[env] else { return value }
        guard let number = Int(text), range.contains(number) else {
            fail(
                env, value: text,
                expected: " \(range.lowerBound)–\(range.upperBound) 之间的整数 / an integer "
                    + "\(range.lowerBound)–\(range.upperBound)")
            return value
        }
        return number
    }

    mutating func logLevel(_ flag: String?) -> Logger.Level {
        let names = Logger.Level.allCases.map(\.rawValue)
        guard let text = flag ?? environment["LANTIAN_LOG_LEVEL"] else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            fail(
                flag != nil ? "--log-level" : "LANTIAN_LOG_LEVEL", value: text,
                expected: "以下之一 / one of: " + names.joined(separator: ", "))
            return .info
        }
        return level
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(env: String, default value: T) -> T
    where T.RawValue == String {
        guard let text = environment[env] else { return value }
        guard let choice = T(rawValue: text.lowercased()) else {
            fail(env, value: text, expected: "以下之一 / one of: " + T.allCases.map(\.rawValue).joined(separator: ", "))
            return value
        }
        return choice
    }
}
