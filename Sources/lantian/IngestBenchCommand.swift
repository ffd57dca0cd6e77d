import ArgumentParser

/// `lantian bench ingest [--devices N] [--seconds S] [--days D] [--postgres-url URL] [--only a,b,…]`
struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "HJ 212 接入：解析、端到端入库、裸插入上限、内存 / HJ 212 parse, end-to-end ingest, bulk limit, memory.",
        discussion: """
            在仓库根目录运行（读取 Resources/Demo 与 Tests/Fixtures）。设备在本进程内模拟（与 lantian simulate
            相同的客户端代码），服务端为真实的 HJ212Service + 分组提交写入器，SQLite 为临时文件。
            Run from the repository root. Devices are simulated in-process with the same client as `lantian simulate`.
            """)

    @Option(help: "端到端的设备（连接）数 / devices for the end-to-end runs")
    var devices = 1_000

    @Option(help: "端到端运行秒数 / seconds per end-to-end run")
    var seconds = 20.0

    @Option(help: "解析基准的数据包数 / packets parsed per set in (a)")
    var packets = 2_000_000

    @Option(help: "内存测试载入的天数 / days of hourly data loaded for the memory figure")
    var days = 365

    @Option(help: "内存测试的站点数 / stations for the memory figure")
    var stations = 1_000

    @Option(
        name: .customLong("postgres-url"),
        help: "也在此 PostgreSQL 上运行 (b)（请用临时库）/ also run (b) on this PostgreSQL (a throwaway database)")
    var postgresURL: String?

    @Option(help: "只运行这些部分 / only these parts: parse,sqlite,bulk,postgres,memory")
    var only: String?

    func run() async throws {
        var options = IngestBenchmark.Options()
        options.devices = devices
        options.seconds = seconds
        options.parsePackets = packets
        options.days = days
        options.stations = stations
        options.postgresURL = postgresURL
        if let only { options.parts = Set(only.split(separator: ",").map(String.init)) }
        try await IngestBenchmark.run(options)
    }
}
