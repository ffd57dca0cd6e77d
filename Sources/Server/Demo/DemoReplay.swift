import Foundation
import Ingest
import Logging
import NIOConcurrencyHelpers
import Vapor

/// `serve --demo` is live: it replays 14 real days of the 12 Beijing stations (UCI multi-site series,
/// 2016-12-10 … 2016-12-23, which holds the red-alert episode of 16–21 December) onto today's clock.
/// The series is shifted by whole days so that the hour of day is kept (diurnal patterns stay true)
/// and today falls on its 8th day; the hours before now are back-filled at start, then each hour is
/// stored when it completes. After the 14th day the series starts over. Readings enter through the
/// same ingest path as devices (validated, stored, rolled up) with source `demo`.
final class DemoReplay: LifecycleHandler, Sendable {
    static let resource = "Demo/beijing-hourly-2016-12.csv"
    static let days: Int64 = 14
    /// Today maps to this day of the series (0-based).
    static let todayIndex: Int64 = 7

    /// The series in canonical units, sorted by time.
    let readings: [Reading]
    let sink: any ReadingSink
    let logger: Logger
    let runner = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(resourcesDirectory: String, sink: any ReadingSink, logger: Logger) throws {
        let path = resourcesDirectory + (resourcesDirectory.hasSuffix("/") ? "" : "/") + Self.resource
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let batch = BeijingMultiSiteFormat.parse(text)
        guard batch.rejections.isEmpty else {
            throw DemoError(message: "演示数据有误 / demo series is broken: \(batch.rejections[0].reason)")
        }
        var readings: [Reading] = []
        for imported in batch.readings {
            let profile = StationReportingProfile(stationCode: imported.reading.stationCode)
            if case .success(let reading) = ReadingValidator.validate(
                imported.reading, profile: profile, now: .max / 2, unit: imported.unit)
            {
                var demo = reading
                demo.source = .demo
                readings.append(demo)
            }
        }
        self.readings = readings.sorted { $0.time < $1.time }
        self.sink = sink
        self.logger = logger
    }

    /// Seconds to add to a series time so that it lands on the current replay cycle.
    func shift(now: Int64) -> Int64 {
        guard let first = readings.first?.time else { return 0 }
        let seriesDay = ChinaClock.dayStart(first)
        let todayInSeries = seriesDay + Self.todayIndex * 86_400
        return ChinaClock.dayStart(now) - todayInSeries
    }

    /// The readings of the cycle starting at `shift` whose hour has ended by `now`, from `index` on.
    func due(from index: Int, shift: Int64, now: Int64) -> (readings: [Reading], next: Int) {
        var next = index
        var out: [Reading] = []
        while next < readings.count, readings[next].time + shift + 3600 <= now {
            var reading = readings[next]
            reading.time += shift
            out.append(reading)
            next += 1
        }
        return (out, next)
    }

    func start(now: @escaping @Sendable () -> Int64) {
        let task = Task { [self] in
            var shift = shift(now: now())
            var index = 0
            var backfilled = false
            while !Task.isCancelled {
                let (batch, next) = due(from: index, shift: shift, now: now())
                do {
                    var stored = StoreOutcome()
                    for chunk in stride(from: 0, to: batch.count, by: 5_000) {
                        stored =
                            stored + (try await sink.store(Array(batch[chunk..<min(chunk + 5_000, batch.count)])))
                    }
                    index = next
                    if !batch.isEmpty {
                        logger.info(
                            backfilled ? "演示回放：新的一小时 / demo replay: next hour" : "演示回放：已回填 / demo replay: back-filled",
                            metadata: ["readings": "\(batch.count)", "inserted": "\(stored.inserted)"])
                    }
                    backfilled = true
                } catch {
                    if Task.isCancelled { return }
                    logger.warning(
                        "演示回放写入失败，稍后重试 / demo replay store failed, retrying", metadata: ["error": "\(error)"])
                }
                if index >= readings.count {
                    shift += Self.days * 86_400
                    index = 0
                }
                // Wake shortly after the next hour ends.
                let seconds = now()
                let wait = 3600 - ((seconds % 3600) + 3600) % 3600 + 5
                try? await Task.sleep(for: .seconds(min(wait, 3605)))
            }
        }
        runner.withLockedValue { $0 = task }
    }

    func shutdownAsync(_ application: Application) async {
        let task = runner.withLockedValue { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
    }
}
