import Fluent
import Foundation
import Ingest
import Store

/// `lantian import beijing|cnemc|readings FILE…`: streams files through their format, validates every
/// value against the station registry, stores in large transactions (idempotent: a re-run inserts
/// nothing), then brings the roll-ups up to date. Every rejected row is counted by reason; the first
/// ones are kept with file and line for the summary.
public struct ReadingImporter: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case beijing
        case cnemc
        case readings

        var source: ReadingSource {
            switch self {
            case .beijing: .beijing
            case .cnemc: .cnemc
            case .readings: .csv
            }
        }
    }

    public struct Progress: Sendable {
        public var file: String
        public var bytesRead: Int
        public var bytesTotal: Int
        public var readings: Int
        public var phase: Phase

        public enum Phase: Sendable {
            case reading
            case rollingUp(pending: Int)
        }
    }

    public struct Summary: Sendable {
        public var files = 0
        public var rows = 0
        public var accepted = 0
        public var inserted = 0
        public var duplicates = 0
        public var missing = 0
        public var rejectedByReason: [String: Int] = [:]
        /// The first rejections, as `file:line: reason`.
        public var examples: [String] = []
        public var rolledUpStationHours = 0

        public var rejected: Int { rejectedByReason.values.reduce(0, +) }
    }

    public static let exampleLimit = 20
    static let chunkBytes = 1 << 20
    static let readingsPerTransaction = 20_000

    let database: any Database
    let now: Int64

    public init(database: any Database, now: Int64) {
        self.database = database
        self.now = now
    }

    public func run(
        _ paths: [String], format: Format, progress: @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Summary {
        let stations = try await OrganisationRepository(database: database).stations()
        let validator = ReadingValidator(
            profiles: Dictionary(uniqueKeysWithValues: stations.map { ($0.code, StationReportingProfile(station: $0)) })
        )
        var summary = Summary()
        for path in paths {
            switch format {
            case .beijing:
                try await importFile(
                    path, reader: ReadingFileReader<BeijingMultiSiteFormat>(), validator: validator,
                    summary: &summary, progress: progress)
            case .cnemc:
                try await importFile(
                    path, reader: ReadingFileReader<CNEMCRealtimeFormat>(), validator: validator,
                    summary: &summary, progress: progress)
            case .readings:
                try await importFile(
                    path, reader: ReadingFileReader<ReadingsCSVFormat>(), validator: validator,
                    summary: &summary, progress: progress)
            }
        }
        let rollup = Rollup(database: database)
        while true {
            let pending = try await rollup.pendingCount()
            progress(Progress(file: "", bytesRead: 0, bytesTotal: 0, readings: 0, phase: .rollingUp(pending: pending)))
            let step = try await rollup.step(limit: 5_000)
            if step.stationHours == 0 { break }
            summary.rolledUpStationHours += step.stationHours
        }
        return summary
    }

    func importFile<FileFormat: ReadingFileFormat>(
        _ path: String, reader initial: ReadingFileReader<FileFormat>, validator: ReadingValidator,
        summary: inout Summary, progress: @Sendable (Progress) -> Void
    ) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.unreadable(path)
        }
        defer { try? handle.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let name = (path as NSString).lastPathComponent
        var reader = initial
        var pending: [Reading] = []
        var bytesRead = 0
        summary.files += 1
        func absorb(_ batch: ImportBatch) {
            summary.rows += batch.rowCount
            summary.missing += batch.missing
            for rejection in batch.rejections { reject(rejection, file: name, summary: &summary) }
            for imported in batch.readings {
                switch validator.validate(imported.reading, now: now, unit: imported.unit) {
                case .success(let reading): pending.append(reading)
                case .failure(let reason):
                    let rejection = Rejection(
                        position: nil, stationCode: imported.reading.stationCode, code: imported.reading.code,
                        reason: reason)
                    reject(rejection, file: name, summary: &summary)
                }
            }
        }
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let outcome = try await ReadingWriter(database: database).insert([pending], receivedAt: now)[0]
            summary.accepted += pending.count
            summary.inserted += outcome.inserted
            summary.duplicates += outcome.duplicates
            pending.removeAll(keepingCapacity: true)
        }
        while true {
            let chunk = try handle.read(upToCount: Self.chunkBytes) ?? Data()
            if chunk.isEmpty { break }
            bytesRead += chunk.count
            absorb(reader.feed(chunk))
            if pending.count >= Self.readingsPerTransaction { try await flush() }
            progress(
                Progress(
                    file: name, bytesRead: bytesRead, bytesTotal: total, readings: summary.accepted + pending.count,
                    phase: .reading))
        }
        absorb(reader.finish())
        try await flush()
    }

    func reject(_ rejection: Rejection, file: String, summary: inout Summary) {
        summary.rejectedByReason[rejection.reason.kind, default: 0] += 1
        guard summary.examples.count < Self.exampleLimit else { return }
        let place = rejection.position.map { "\(file):\($0)" } ?? file
        let what = [rejection.stationCode, rejection.code].compactMap { $0 }.joined(separator: " ")
        summary.examples.append("\(place): \(what.isEmpty ? "" : what + ": ")\(rejection.reason.description)")
    }
}

public enum ImportError: Error, CustomStringConvertible {
    case unreadable(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "无法读取文件 \(path) / cannot read \(path)"
        }
    }
}
