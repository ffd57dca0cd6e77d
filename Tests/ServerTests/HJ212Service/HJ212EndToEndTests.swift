import Foundation
import HJ212
import Ingest
import LantianTestSupport
import Logging
import ServiceLifecycle
import Store
import Testing
import Vapor

@testable import Server

/// The HJ 212 listener as `lantian serve` wires it: the demo registry, the group-commit store, SQLite and
/// PostgreSQL, a real socket.
@Suite("HJ 212 end to end")
struct HJ212EndToEndTests {
    /// 2024-01-05 08:00 China time.
    static let hour: Int64 = 1_704_412_800

    static func readings(_ station: String, pm25: Double) -> [Reading] {
        [("a34004", pm25), ("a34002", pm25 * 1.5), ("a21026", 6), ("a21004", 40), ("a21005", 0.9), ("a05024", 30)]
            .map { Reading(stationCode: station, code: $0.0, period: .hour, time: hour, value: $0.1, source: .hj212) }
    }

    @Test(arguments: TestDatabase.all)
    func aDemoDeviceIsAnsweredAfterCommitAndItsHourIsRolledUp(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, configuration, metrics in
            var listening = configuration
            listening.hj212Port = 0
            let service = LantianServer.makeHJ212Service(app, listening, metrics: metrics, logger: app.logger)
            let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let port = try await service.boundPort()
                let device = try await TestDevice.connect(port: port)

                // A 2061 hour upload from 奥体中心's logger, as `lantian simulate` would send it.
                var simulator = HJ212Simulator(
                    device: SimulatedDevice(
                        mn: BeijingDemo.mn(forStationCode: "1011A"), password: BeijingDemo.devicePassword))
                let frames = try simulator.frames(
                    for: Self.readings("1011A", pm25: 200), sentAt: Self.hour * 1000 + 3_600_500)
                #expect(frames.count == 1)
                try await device.send(bytes: frames[0])
                let answer = try #require(try await device.answer())
                #expect(answer.cn == .dataAnswer)

                // Answered means committed: the raw values are there the moment the answer is.
                let stored = try await ReadingQueries(database: app.db).readings(
                    station: "1011A", period: .hour, from: Self.hour, to: Self.hour + 3600)
                #expect(stored.count == 6)
                #expect(stored.allSatisfy { $0.source == .hj212 })

                // The same packet again (the device lost the answer): answered again, no second row.
                try await device.send(bytes: frames[0])
                #expect(try await device.answer()?.cn == .dataAnswer)
                let again = try await ReadingQueries(database: app.db).readings(
                    station: "1011A", period: .hour, from: Self.hour, to: Self.hour + 3600)
                #expect(again.count == 6)

                // A wrong password: 9011 QnRtn=3, nothing stored.
                var intruder = HJ212Simulator(
                    device: SimulatedDevice(mn: BeijingDemo.mn(forStationCode: "1001A"), password: "000000"))
                try await device.send(
                    bytes: try intruder.frames(for: Self.readings("1001A", pm25: 10), sentAt: Self.hour * 1000)[0])
                let refusal = try #require(try await device.answer())
                #expect(refusal.cn == .requestAnswer)
                #expect(refusal.cp.requestReturnCode == .passwordWrong)

                // The roll-up follows within a moment: PM2.5 200 → AQI 250.
                let rolledUp = try await eventually {
                    let hours = try? await ReadingQueries(database: app.db).hourly(
                        station: "1011A", from: Self.hour, to: Self.hour + 3600)
                    return hours?.first?.aqi?.aqi == 250
                }
                #expect(rolledUp)
                #expect(metrics.exposition().contains(#"lantian_ingest_values_total{outcome="duplicate"} 6"#))
                await device.close()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
