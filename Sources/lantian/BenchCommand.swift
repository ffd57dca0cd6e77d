import ArgumentParser

/// `lantian bench …`: benchmarks that print figures. Build with `swift build -c release` first;
/// a debug build says so in its output.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "性能基准（请用 release 构建）/ benchmarks (use a release build).",
        subcommands: [AQIBench.self, IngestBench.self, SpatialBench.self]
    )

    struct AQIBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "aqi",
            abstract: "AQI 引擎：小时 AQI 吞吐与日聚合耗时 / hourly AQI throughput and daily aggregation time."
        )

        @Option(help: "小时 AQI 的站时数 / station-hours for the hourly AQI")
        var stationHours = 10_000_000

        @Option(help: "日聚合的站点数 / stations for the daily aggregation")
        var stations = 1_000

        @Option(help: "日聚合的天数 / days for the daily aggregation")
        var days = 365

        func run() {
            for line in AQIBenchmark.run(stationHours: stationHours, stations: stations, days: days) {
                print(line)
            }
        }
    }
}
