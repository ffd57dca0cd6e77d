import ArgumentParser
import Foundation
import NIOConcurrencyHelpers
import Server

/// `lantian import beijing|cnemc|readings FILE…`: readings files into the database.
struct ImportReadingFiles: ParsableArguments {
    @Argument(help: "一个或多个文件 / one or more files")
    var files: [String]

    @Flag(name: .long, help: "导入演示数据库（未设 DATABASE_URL 时为 数据目录/demo.sqlite）/ use the demo database")
    var demo = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("无法读取文件 \(file) / cannot read \(file)")
        }
    }

    /// Exit codes: 0 everything stored, 65 some rows rejected (the rest stored), 64/66 a file unreadable,
    /// 75 PostgreSQL not migrated, 78 bad configuration.
    func run(_ format: ReadingImporter.Format) async throws {
        var configuration = try LantianConfiguration.load(
            .init(dataDirectory: common.dataDirectory, logLevel: common.logLevel, demo: demo))
        configuration.demo = false  // select the demo database, but neither seed nor replay it
        let logger = configuration.makeLogger()
        let bar = ProgressBar()
        let summary: ReadingImporter.Summary
        do {
            summary = try await configuration.withReadyDatabase(logger: logger) { app in
                try await ReadingImporter(database: app.db, now: Int64(Date().timeIntervalSince1970))
                    .run(files, format: format) { bar.show($0) }
            }
        } catch let error as ImportError {
            bar.finish()
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(66)
        }
        bar.finish()
        print(Self.report(summary))
        if !summary.examples.isEmpty {
            let lines = summary.examples + (summary.rejected > summary.examples.count ? ["…"] : [])
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        if summary.rejected > 0 { throw ExitCode(65) }
    }

    static func report(_ summary: ReadingImporter.Summary) -> String {
        var lines = [
            "文件 \(summary.files) 个，数据行 \(summary.rows) / files \(summary.files), rows \(summary.rows)",
            "读数 \(summary.accepted) 条：新增 \(summary.inserted)，已存在 \(summary.duplicates)"
                + " / readings \(summary.accepted): inserted \(summary.inserted), already stored \(summary.duplicates)",
            "缺测（NA、—）\(summary.missing) 个 / missing cells \(summary.missing)",
            "汇总小时 \(summary.rolledUpStationHours) 个 / station-hours rolled up \(summary.rolledUpStationHours)",
        ]
        if summary.rejected == 0 {
            lines.append("拒绝 0 / rejected 0")
        } else {
            lines.append("拒绝 \(summary.rejected) / rejected \(summary.rejected):")
            for (kind, count) in summary.rejectedByReason.sorted(by: { $0.value > $1.value }) {
                lines.append("  \(kind): \(count)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// A progress line on standard error: redrawn in place on a terminal, one line per file otherwise.
final class ProgressBar: Sendable {
    let interactive = isatty(STDERR_FILENO) != 0
    let state = NIOLockedValueBox((file: "", percent: -1, rollup: false))

    func show(_ progress: ReadingImporter.Progress) {
        switch progress.phase {
        case .reading:
            let percent = progress.bytesTotal > 0 ? progress.bytesRead * 100 / progress.bytesTotal : 100
            let changed = state.withLockedValue { state -> Bool in
                defer { state.file = progress.file }
                if state.file == progress.file && (state.percent == percent || !interactive) { return false }
                state.percent = percent
                return true
            }
            guard changed else { return }
            let width = 30
            let filled = width * percent / 100
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            write("\(progress.file) \(bar) \(percent)%  读数 readings \(progress.readings)")
        case .rollingUp(let pending):
            let first = state.withLockedValue { state -> Bool in
                defer { state.rollup = true }
                return !state.rollup
            }
            guard interactive || first else { return }
            write("汇总中 / rolling up: 待处理小时 pending station-hours \(pending)")
        }
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func write(_ line: String) {
        let text = interactive ? "\r\u{1B}[K" + line : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}

struct ImportBeijing: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beijing",
        abstract: "导入 UCI 北京多站点小时数据 / import UCI Beijing multi-site hourly files",
        discussion: """
            PRSA_Data_<站点>_….csv：12 个站点名对应国控点编码；CO 在文件中为 µg/m³，入库为 mg/m³；
            year,month,day,hour 为北京时间该小时结束时刻。重复导入不会产生重复数据。见 docs/ingest.md。
            Exit codes: 0 done, 65 some rows rejected (the rest stored), 64 unreadable file.
            """)

    @OptionGroup var options: ImportReadingFiles

    func run() async throws { try await options.run(.beijing) }
}

struct ImportCNEMC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnemc",
        abstract: "导入中国环境监测总站实时发布数据 / import CNEMC real-time releases",
        discussion: """
            每站六项污染物的 1 小时值；臭氧 1 小时值取自 O3_24h 列（发布数据中两列名称互换）。见 docs/ingest.md。
            Exit codes: 0 done, 65 some rows rejected (the rest stored), 64 unreadable file.
            """)

    @OptionGroup var options: ImportReadingFiles

    func run() async throws { try await options.run(.cnemc) }
}

struct ImportReadingsCSV: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readings",
        abstract: "导入通用读数 CSV / import the generic readings CSV",
        discussion: """
            列 / columns: station,time,code,value,flag,period[,unit]（见 docs/readings-csv.md）。
            Exit codes: 0 done, 65 some rows rejected (the rest stored), 64 unreadable file.
            """)

    @OptionGroup var options: ImportReadingFiles

    func run() async throws { try await options.run(.readings) }
}
