import ArgumentParser
import Fluent
import Foundation
import Server
import Store

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "执行（或用 --revert 回退最近一批）数据库迁移 / run pending migrations, or revert the last batch."
    )

    @Flag(name: .long, help: "回退最近一批迁移 / revert the last batch of migrations")
    var revert = false

    @Flag(name: .long, help: "载入演示数据库（未设 DATABASE_URL 时为 数据目录/demo.sqlite）/ use the demo database")
    var demo = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        var configuration = try LantianConfiguration.load(
            .init(dataDirectory: common.dataDirectory, logLevel: common.logLevel, demo: demo))
        configuration.demo = false  // select the demo database, but do not seed from `migrate`
        let logger = configuration.makeLogger()
        try await configuration.withApplication(logger: logger) { app in
            try await app.migrator.setupIfNeeded().get()
            if revert {
                let batch = try await app.migrator.previewRevertLastBatch().get().map(\.0.name)
                try await app.migrator.revertLastBatch().get()
                report(batch, done: "已回退迁移 / reverted", none: "没有可回退的迁移 / nothing to revert")
            } else {
                let batch = try await app.migrator.previewPrepareBatch().get().map(\.0.name)
                try await app.migrator.prepareBatch().get()
                report(batch, done: "已执行迁移 / migrated", none: "数据库已是最新 / already up to date")
            }
        }
    }

    private func report(_ names: [String], done: String, none: String) {
        guard !names.isEmpty else {
            print(none)
            return
        }
        print("\(done)（\(names.count)）:")
        for name in names { print("  \(name)") }
    }
}
