import Foundation
import LantianTestSupport
import Testing

/// What a 9014 promises: the readings are committed. `kill -9` the real server while 12 demo devices
/// stream hour packets, restart it on the same database, and every answered reading is there; re-sending
/// everything stores nothing twice.
@Suite("reliability", .serialized)
struct ReliabilityTests {
    @Test func everyAnsweredReadingSurvivesKill9AndResendsAreNotDuplicated() async throws {
        let server = try await DemoServer.start()
        defer { server.stop() }
        let files = Array(SimulateTests.beijingFiles.prefix(2))  // Aotizhongxin and Dongsi, 60 hours each
        let hj212 = "127.0.0.1:\(server.hj212Port)"
        let firstRecord = server.folder.appendingPathComponent("before-kill.tsv").path

        // 12 devices over the 3 fixture stations (2013 data, far from the demo replay's last week), at
        // 20 data-hours per second: the 60 hours take about 3 s; the server dies after about 1.5 s.
        let streaming = try LantianProcess.launch(
            ["simulate", "--source", "beijing"] + files + [
                "--devices", "12", "--speed", "72000", "--to", hj212, "--record", firstRecord, "--timeout", "1",
                "--retries", "1", "--quiet",
            ])
        try await Task.sleep(for: .milliseconds(1_500))
        server.kill9()
        let interrupted = streaming.finish(timeout: 30)
        let answeredBeforeKill = try AnsweredPacket.read(firstRecord)
        #expect(!answeredBeforeKill.isEmpty, "\(interrupted.output)\n\(interrupted.errorOutput)")
        #expect(interrupted.status == 1, "the stream should have been cut: \(interrupted.output)")
        #expect(interrupted.errorOutput.contains("服务器关闭了连接"), "\(interrupted.errorOutput)")

        try await server.restart()

        // Every reading that got a 9014 before the kill is stored, with its value.
        let stations = ["1003A", "1011A"]
        // 12 devices over 2 stations: 6 copies each, moved back by 4 days each (all within March 2013).
        let (from, to) = (Int64(1_359_648_000), Int64(1_364_745_600))  // 2013-02-01 … 2013-04-01 (+08:00)
        var stored: [String: [StoredKey: Double]] = [:]
        for station in stations {
            stored[station] = try await server.readings(station: station, from: from, to: to)
        }
        var checked = 0
        for packet in answeredBeforeKill {
            for (code, value) in packet.values {
                let row = stored[packet.station]?[StoredKey(time: packet.time, code: code)]
                #expect(row != nil, "answered but lost: \(packet.station) \(packet.time) \(code) QN=\(packet.qn)")
                if let row, code != "a01006" { #expect(abs(row - value) < 1e-9) }
                checked += 1
            }
        }
        #expect(checked > 0)

        // Re-send everything: what was missing is added, nothing is stored twice.
        let secondRecord = server.folder.appendingPathComponent("after-restart.tsv").path
        let resend = try LantianProcess.run(
            ["simulate", "--source", "beijing"] + files + [
                "--devices", "12", "--to", hj212, "--record", secondRecord, "--quiet",
            ], timeout: 60)
        #expect(resend.status == 0, "\(resend.output)\n\(resend.errorOutput)")
        let everything = try AnsweredPacket.read(secondRecord)
        let expected = everything.reduce(0) { $0 + $1.values.count }
        #expect(everything.count == 720)
        #expect(everything.allSatisfy { $0.time >= from && $0.time < to })
        let afterFirst = try await total(server, stations, from: from, to: to)
        #expect(afterFirst == expected, "rows \(afterFirst), distinct values sent \(expected)")

        let duplicatesBefore = try await server.metric("lantian_hj212_values_total{outcome=\"duplicate\"}")
        let again = try LantianProcess.run(
            ["simulate", "--source", "beijing"] + files + ["--devices", "12", "--to", hj212, "--quiet"], timeout: 60)
        #expect(again.status == 0, "\(again.output)\n\(again.errorOutput)")
        let afterSecond = try await total(server, stations, from: from, to: to)
        #expect(afterSecond == afterFirst)
        let duplicatesAfter = try await server.metric("lantian_hj212_values_total{outcome=\"duplicate\"}")
        #expect(duplicatesAfter - duplicatesBefore == Double(expected), "the server counted the re-sends as duplicates")
    }

    private func total(_ server: DemoServer, _ stations: [String], from: Int64, to: Int64) async throws -> Int {
        var count = 0
        for station in stations {
            count += try await server.readings(station: station, from: from, to: to).count
        }
        return count
    }
}
