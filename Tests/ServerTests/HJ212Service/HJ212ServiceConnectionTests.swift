import HJ212
import Ingest
import NIOCore
import Testing

@testable import Server

@Suite struct HJ212ServiceConnectionTests {
    let cp = "DataTime=20240101115900;a34004-Avg=35,a34004-Flag=N"

    @Test func garbageBetweenFramesIsSkipped() async throws {
        try await withHJ212Service(configure: fixedClock) { server in
            let device = try await server.connect()
            try await device.send("AT+CSQ\r\n+CSQ: 23,99\r\nOK\r\n", terminate: false)
            try await device.send(bytes: [0xFF, 0xFE, 0x00, 0x23, 0x41])
            try await device.send(heartbeat())
            #expect(try await device.answer()?.cn == .notificationAnswer)
            #expect(server.metrics.error("frame_garbage") >= 1)
        }
    }

    @Test func oversizeAndNonASCIIFramesAreDroppedAndTheConnectionGoesOn() async throws {
        try await withHJ212Service(configure: {
            fixedClock(&$0)
            $0.maxFrameLength = 256
        }) { server in
            let device = try await server.connect()
            try await device.send("##0300" + String(repeating: "A", count: 400))
            try await device.send(bytes: Array("##0010QN=\u{1}\u{FF}xyzABCD\r\n".utf8))
            try await device.send(heartbeat())
            #expect(try await device.answer()?.cn == .notificationAnswer)
            #expect(server.metrics.error("frame_oversize") == 1)
            #expect(server.metrics.packets("rejected") == 1)
        }
    }

    @Test func aTruncatedFrameIsCountedWhenTheDeviceCloses() async throws {
        try await withHJ212Service(configure: fixedClock) { server in
            let device = try await server.connect()
            let text = heartbeat()
            // Cut short by a new frame: the next one is still answered
            try await device.send(String(text.prefix(30)), terminate: false)
            try await device.send(text)
            #expect(try await device.answer()?.cn == .notificationAnswer)
            #expect(server.metrics.error("frame_truncated") == 1)
            // Cut short by the link closing
            try await device.send(String(text.prefix(30)), terminate: false)
            await device.close()
            #expect(try await eventually { server.metrics.error("frame_truncated") == 2 })
        }
    }

    @Test func splitPartsAreStoredAndAnsweredOneByOne() async throws {
        let sink = MemorySink()
        try await withHJ212Service(sink: sink, configure: fixedClock) { server in
            // Given a minute upload split in two, each part with its own QN and the same DataTime (Table C.50)
            let flag = PacketFlag(version: .hj212_2017, isSplit: true, needsAnswer: true)
            let parts = try (1...2).map { number in
                HJ212ServiceFixtures.frame(
                    qn: "2024010112000000\(number)", cn: .minuteData, mn: "JSRCTD000YD107", flag: flag,
                    split: try SplitInfo(total: 2, number: number),
                    cp: "DataTime=20240101115800;" + (number == 1 ? "a34004-Avg=35" : "a34002-Avg=60"))
            }
            let device = try await server.connect()
            // When
            for part in parts { try await device.send(part) }
            // Then each is answered with its own QN after its readings are stored
            expectAnswer(try await device.answer(), cn: .dataAnswer, echoing: try parse(parts[0]))
            expectAnswer(try await device.answer(), cn: .dataAnswer, echoing: try parse(parts[1]))
            #expect(await sink.readings(station: "S-JSRCTD000YD107").map(\.code) == ["a34002", "a34004"])
            #expect(await sink.calls == 2)
        }
    }

    @Test func aSplitPartWithoutDataTimeTakesItFromItsSibling() async throws {
        let sink = MemorySink()
        try await withHJ212Service(sink: sink, configure: fixedClock) { server in
            let flag = PacketFlag(version: .hj212_2017, isSplit: true, needsAnswer: true)
            func part(_ number: Int, _ total: Int, _ cp: String) throws -> String {
                HJ212ServiceFixtures.frame(
                    qn: "2024010112000001\(number)", cn: .hourData, mn: "JSRCTD000YD107", flag: flag,
                    split: try SplitInfo(total: total, number: number), cp: cp)
            }
            let device = try await server.connect()
            // In order: part 2 borrows part 1's DataTime and is answered at once
            let first = try part(1, 2, "DataTime=20240101100000;a34004-Avg=35")
            let second = try part(2, 2, "a34002-Avg=60")
            try await device.send(first)
            try await device.send(second)
            expectAnswer(try await device.answer(), cn: .dataAnswer, echoing: try parse(first))
            expectAnswer(try await device.answer(), cn: .dataAnswer, echoing: try parse(second))
            // Out of order: part 2 (no DataTime) is held until part 1 brings it, then both are answered
            let late = try part(2, 3, "a21004-Avg=20")
            let early = try part(1, 3, "DataTime=20240101090000;a21026-Avg=8")
            let last = try part(3, 3, "a21005-Avg=0.4")
            try await device.send(late)
            try await device.send(heartbeat())
            #expect(try await device.answer()?.cn == .notificationAnswer)
            try await device.send(early)
            try await device.send(last)
            expectAnswer(try await device.answer(), cn: .dataAnswer, echoing: try parse(early))
            let held = try await device.answer()
            let third = try await device.answer()
            #expect(Set([held?.qn, third?.qn]) == Set([try parse(late).qn, try parse(last).qn]))
            let rows = await sink.readings(station: "S-JSRCTD000YD107")
            #expect(rows.count == 5)
            #expect(rows.first { $0.code == "a34002" }?.time == 1_704_074_400)
            #expect(rows.first { $0.code == "a21004" }?.time == 1_704_070_800)
            #expect(rows.first { $0.code == "a21005" }?.time == 1_704_070_800)
        }
    }

    @Test func anIdleConnectionIsClosed() async throws {
        try await withHJ212Service(configure: {
            fixedClock(&$0)
            $0.idleTimeout = .milliseconds(200)
        }) { server in
            let device = try await server.connect()
            #expect(try await device.closedByServer())
            #expect(server.metrics.error("idle_timeout") == 1)
        }
    }

    @Test func connectionsBeyondTheLimitAreClosedAtOnce() async throws {
        try await withHJ212Service(configure: {
            fixedClock(&$0)
            $0.maxConnections = 2
        }) { server in
            let first = try await server.connect()
            let second = try await server.connect()
            for device in [first, second] {
                try await device.send(heartbeat())
                #expect(try await device.answer()?.cn == .notificationAnswer)
            }
            let third = try await server.connect()
            #expect(try await third.closedByServer())
            #expect(server.metrics.error("max_connections") == 1)
            #expect(server.metrics.value("lantian_hj212_connections") == 2)
            // A slot frees when a device leaves
            await first.close()
            #expect(try await eventually { server.metrics.value("lantian_hj212_connections") == 1 })
            let fourth = try await server.connect()
            try await fourth.send(heartbeat())
            #expect(try await fourth.answer()?.cn == .notificationAnswer)
        }
    }

    @Test func tooManyConsecutiveBadFramesCloseTheConnection() async throws {
        try await withHJ212Service(configure: {
            fixedClock(&$0)
            $0.badFrameBudget = 5
        }) { server in
            let device = try await server.connect()
            for _ in 0..<5 { try await device.send("##0004ABCD0000") }
            #expect(try await device.closedByServer())
            #expect(server.metrics.error("bad_frame_budget") == 1)
        }
    }

    @Test func packetsBeyondTheRateAreDropped() async throws {
        try await withHJ212Service(configure: {
            fixedClock(&$0)
            $0.packetsPerSecond = 2
        }) { server in
            let device = try await server.connect()
            try await device.send(String(repeating: heartbeat(), count: 10), terminate: false)
            #expect(
                try await eventually {
                    server.metrics.packets("rate_limited") + server.metrics.packets("answered") == 10
                })
            #expect(server.metrics.packets("rate_limited") >= 7)
        }
    }

    @Test func gracefulShutdownFinishesTheStoreAnswersAndCloses() async throws {
        let sink = MemorySink(gated: true)
        try await withHJ212Service(sink: sink, configure: fixedClock) { server in
            // Given an upload whose store is in progress
            let device = try await server.connect()
            let idle = try await server.connect()
            let text = try fixture(mn: "JSRCTD000YD107", cn: "2011")
            try await device.send(text)
            #expect(try await eventually { await sink.waitingStores == 1 })
            // When the group shuts down
            await server.group.triggerGracefulShutdown()
            // Then new connections are refused, the store finishes, the answer goes out, connections close
            #expect(
                try await eventually {
                    guard let late = try? await server.connect() else { return true }
                    await late.close()
                    return false
                })
            #expect(try await device.answer(within: .milliseconds(200)) == nil)
            await sink.release()
            expectAnswer(try await device.answer(), cn: .dataAnswer, echoing: try parse(text))
            #expect(try await device.closedByServer())
            #expect(try await idle.closedByServer())
        }
    }

    @Test func aThousandConcurrentDevicesAreAllAnswered() async throws {
        let count = 1000
        let stations = (0..<count).map { HJ212ServiceFixtures.station(mn: "LOAD-\($0)") }
        let sink = MemorySink()
        try await withHJ212Service(stations: stations, sink: sink, configure: fixedClock) { server in
            let started = ContinuousClock.now
            let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let device = try await server.connect()
                        let text = HJ212ServiceFixtures.frame(
                            qn: "20240101115900\(String(1000 + index % 1000).suffix(3))", cn: .realTimeData,
                            mn: "LOAD-\(index)", cp: "DataTime=20240101115900;a34004-Rtd=\(index % 300)")
                        try await device.send(text)
                        let answer = try await device.answer(within: .seconds(60))
                        await device.close()
                        return answer?.cn == .dataAnswer && answer?.mn == "LOAD-\(index)"
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            let elapsed = started.duration(to: .now)
            print("HJ 212: \(count) concurrent connections, each one upload stored and answered, in \(elapsed)")
            #expect(answered == count)
            #expect(await sink.rows.count == count)
            #expect(server.metrics.value("lantian_hj212_connections_total") == Int64(count))
        }
    }
}
