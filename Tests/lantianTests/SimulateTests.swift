import Foundation
import LantianTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `lantian simulate` against the real `lantian serve --demo`: real processes, real sockets.
@Suite("lantian simulate", .serialized)
struct SimulateTests {
    static var beijingFiles: [String] {
        ["PRSA_Data_Aotizhongxin_first60.csv", "PRSA_Data_Dongsi_first60.csv", "PRSA_Data_Wanliu_NA_rows.csv"].map {
            RepositoryPaths.fixtures.appendingPathComponent("beijing/\($0)").path
        }
    }

    @Test func replaysTheBeijingFixturesIntoTheDemoAndEveryPacketIsAnswered() async throws {
        let server = try await DemoServer.start()
        defer { server.stop() }
        let record = server.folder.appendingPathComponent("answered.tsv").path
        let result = try LantianProcess.run(
            ["simulate", "--source", "beijing"] + Self.beijingFiles + [
                "--devices", "3", "--to", "127.0.0.1:\(server.hj212Port)", "--record", record,
            ], timeout: 60)
        #expect(result.status == 0, "\(result.output)\n\(result.errorOutput)")
        #expect(result.output.contains("已应答 142"), "\(result.output)")
        #expect(result.output.contains("拒绝 0"), "\(result.output)")
        #expect(result.output.contains("应答延迟"), "\(result.output)")

        let answered = try AnsweredPacket.read(record)
        #expect(answered.count == 142)
        for station in ["1011A", "1003A", "1007A"] {
            let sent = answered.filter { $0.station == station }
            let stored = try await server.readings(station: station, covering: sent.map(\.time))
            #expect(!sent.isEmpty)
            #expect(stored.count == sent.reduce(0) { $0 + $1.values.count }, "\(station)")
            for packet in sent {
                for (code, value) in packet.values {
                    let row = stored[StoredKey(time: packet.time, code: code)]
                    #expect(row != nil, "\(station) \(packet.time) \(code) missing")
                    if let row, code != "a01006" {  // pressure is sent in hPa and stored in kPa
                        #expect(abs(row - value) < 1e-9, "\(station) \(packet.time) \(code): \(row) ≠ \(value)")
                    }
                }
            }
        }
    }

    @Test func aClosedPortIsAClearErrorAndANonZeroExit() throws {
        let port = LantianProcess.freePort()
        let result = try LantianProcess.run(
            ["simulate", "--source", "beijing", Self.beijingFiles[0], "--devices", "2", "--to", "127.0.0.1:\(port)"],
            timeout: 30)
        #expect(result.status == 1, "\(result.output)\n\(result.errorOutput)")
        #expect(result.errorOutput.contains("无法连接 127.0.0.1:\(port)：连接被拒绝"), "\(result.errorOutput)")
        #expect(result.errorOutput.contains("connection refused"), "\(result.errorOutput)")
        #expect(result.output.contains("已应答 0"), "\(result.output)")
    }

    @Test func badOptionsAreNamed() throws {
        let result = try LantianProcess.run(
            ["simulate", "--source", "paris", Self.beijingFiles[0], "--to", "nowhere", "--edition", "2019"])
        #expect(result.status == 64, "\(result.errorOutput)")
        #expect(result.errorOutput.contains("--source paris"), "\(result.errorOutput)")
        #expect(result.errorOutput.contains("--to nowhere"), "\(result.errorOutput)")
        #expect(result.errorOutput.contains("--edition"), "\(result.errorOutput)")
    }
}

// MARK: - Helpers shared with ReliabilityTests

/// A `lantian serve --demo` on free ports and a temporary data directory (replay off the clock of the
/// fixtures: the demo replays the last week, the fixtures are from 2013).
final class DemoServer: @unchecked Sendable {
    let folder: URL
    let httpPort: Int
    let hj212Port: Int
    private(set) var process: LantianProcess.Running

    private init(folder: URL, httpPort: Int, hj212Port: Int, process: LantianProcess.Running) {
        self.folder = folder
        self.httpPort = httpPort
        self.hj212Port = hj212Port
        self.process = process
    }

    static func start() async throws -> DemoServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lantian-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let httpPort = LantianProcess.freePort()
        var hj212Port = LantianProcess.freePort()
        while hj212Port == httpPort { hj212Port = LantianProcess.freePort() }
        let server = DemoServer(
            folder: folder, httpPort: httpPort, hj212Port: hj212Port,
            process: try launch(folder: folder, httpPort: httpPort, hj212Port: hj212Port))
        try await server.waitUntilReady()
        return server
    }

    private static func launch(folder: URL, httpPort: Int, hj212Port: Int) throws -> LantianProcess.Running {
        try LantianProcess.launch(
            ["serve", "--demo", "--port", "\(httpPort)", "--hj212-port", "\(hj212Port)"],
            environment: ["LANTIAN_DATA_DIR": folder.path, "LANTIAN_LOG_LEVEL": "warning", "LANTIAN_BCRYPT_COST": "4"])
    }

    /// `kill -9`: no graceful shutdown, no chance to flush anything.
    func kill9() {
        process.signal(SIGKILL)
        process.finish(timeout: 5)
    }

    /// Starts the server again on the same database and ports.
    func restart() async throws {
        process = try Self.launch(folder: folder, httpPort: httpPort, hj212Port: hj212Port)
        try await waitUntilReady()
    }

    func stop() {
        process.signal(SIGTERM)
        process.finish(timeout: 15)
        try? FileManager.default.removeItem(at: folder)
    }

    func waitUntilReady() async throws {
        for _ in 0..<300 {
            guard process.process.isRunning else { break }
            if let (_, status) = try? await get("/readyz"), status == 200, hj212Listening() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerNotReady(log: process.errorOutputSoFar)
    }

    struct ServerNotReady: Error, CustomStringConvertible {
        var log: String
        var description: String { "server not ready:\n\(log)" }
    }

    /// Whether the HJ 212 port accepts connections yet.
    private func hj212Listening() -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(hj212Port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }

    func get(_ path: String, token: String? = nil) async throws -> (Data, Int) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(httpPort)\(path)")!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
    }

    /// A bearer token of the demo's HQ account (`hq` / `demo-hq`): raw readings need sign-in.
    func token() async throws -> String {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(httpPort)/api/v1/auth/token")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"username":"hq","password":"demo-hq"}"#.utf8)
        let (data, _) = try await URLSession.shared.data(for: request)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let token = object?["token"] as? String else {
            throw ServerNotReady(log: String(decoding: data, as: UTF8.self))
        }
        return token
    }

    /// Hour readings of a station from the API, by (time, code) → value, over windows of at most 300 days
    /// that cover `times` (the API serves up to 366 days of hours per request).
    func readings(station: String, covering times: [Int64]) async throws -> [StoredKey: Double] {
        var result: [StoredKey: Double] = [:]
        var pending = times.sorted()
        while let first = pending.first {
            let end = first + 300 * 86_400
            result.merge(try await readings(station: station, from: first, to: end)) { $1 }
            pending.removeAll { $0 < end }
        }
        return result
    }

    func readings(station: String, from: Int64, to: Int64) async throws -> [StoredKey: Double] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        func iso(_ seconds: Int64) -> String {
            formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
                .replacingOccurrences(of: "+", with: "%2B")
        }
        let (data, status) = try await get(
            "/api/v1/stations/\(station)/readings?period=hour&from=\(iso(from))&to=\(iso(to))", token: try await token()
        )
        guard status == 200 else { throw ServerNotReady(log: String(decoding: data, as: UTF8.self)) }
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let parser = ISO8601DateFormatter()
        var result: [StoredKey: Double] = [:]
        for row in object?["readings"] as? [[String: Any]] ?? [] {
            guard let time = (row["time"] as? String).flatMap(parser.date(from:)), let code = row["code"] as? String
            else { continue }
            result[StoredKey(time: Int64(time.timeIntervalSince1970), code: code)] =
                (row["value"] as? Double) ?? (row["value"] as? Int).map(Double.init) ?? .nan
        }
        return result
    }

    /// A counter of the Prometheus endpoint, e.g. `lantian_hj212_values_total{outcome="duplicate"}`.
    func metric(_ name: String) async throws -> Double {
        let (data, _) = try await get("/metrics")
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.split(separator: " ").last ?? "") ?? .nan
        }
        return 0
    }
}

struct StoredKey: Hashable {
    var time: Int64
    var code: String
}

/// A line of `lantian simulate --record`: station, period, time, QN, code=value…, MN.
struct AnsweredPacket {
    var station: String
    var time: Int64
    var qn: String
    var values: [(String, Double)]

    static func read(_ path: String) throws -> [AnsweredPacket] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let values = fields[4].split(separator: ",").map { item -> (String, Double) in
                let parts = item.split(separator: "=")
                return (String(parts[0]), Double(parts[1]) ?? .nan)
            }
            return AnsweredPacket(station: fields[0], time: Int64(fields[2]) ?? 0, qn: fields[3], values: values)
        }
    }
}
