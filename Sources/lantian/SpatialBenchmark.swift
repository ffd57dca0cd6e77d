import ArgumentParser
import Campaign
import Foundation

/// `lantian bench spatial`: random points against generated polygons through the region index (R-tree, then
/// exact point in polygon), as locate does. The goal of issue 5: 10,000 points against 5,000 polygons in
/// under a second.
struct SpatialBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spatial",
        abstract: "空间查询：随机点定位到最小区域 / random points located in their smallest region."
    )

    @Option(help: "随机点数 / random points")
    var points = 10_000

    @Option(help: "多边形数（每 50 个街道级之上一个区县级）/ polygons (one county per 50 townships)")
    var polygons = 5_000

    @Option(help: "每个多边形的顶点数 / vertices per polygon")
    var vertices = 24

    @Option(help: "随机种子 / random seed")
    var seed: UInt64 = 20_261_122

    func validate() throws {
        guard points > 0, polygons >= 2, vertices >= 3 else {
            throw ValidationError("--points ≥ 1，--polygons ≥ 2，--vertices ≥ 3 / counts too small")
        }
    }

    func run() {
        for line in SpatialBenchmark.run(points: points, polygons: polygons, vertices: vertices, seed: seed) {
            print(line)
        }
    }
}

enum SpatialBenchmark {
    /// Beijing's extent, where the polygons are laid out.
    static let area = BoundingBox(minLongitude: 115.42, minLatitude: 39.44, maxLongitude: 117.51, maxLatitude: 41.06)

    static func run(points: Int, polygons: Int, vertices: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        let entries = generate(polygons: polygons, vertices: vertices, random: &random)
        let queries = (0..<points).map { _ in
            Coordinate(
                longitude: random.uniform(area.minLongitude, area.maxLongitude),
                latitude: random.uniform(area.minLatitude, area.maxLatitude))
        }
        let clock = ContinuousClock()
        var index: RegionIndex?
        let build = clock.measure { index = RegionIndex(entries) }
        var located = 0
        let query = clock.measure {
            for point in queries where index!.smallest(containing: point) != nil { located += 1 }
        }
        let total = build + query
        var lines = [
            "空间索引基准 / spatial index benchmark"
                + (isDebugBuild ? "（debug 构建，数字偏慢；请用 swift build -c release / debug build, slow）" : ""),
            "多边形 polygons: \(entries.count)（每个 \(vertices) 个顶点 / \(vertices) vertices each）；随机点 points: \(points)",
            "建索引 build: \(milliseconds(build)) ms",
            "查询 query: \(milliseconds(query)) ms（\(Int(Double(points) / max(seconds(query), 1e-9))) 点/秒 points/s）；"
                + "落在区域内 located: \(located)",
            "合计 total: \(milliseconds(total)) ms — 目标 goal < 1000 ms: "
                + (seconds(total) < 1 ? "达到 met" : "未达到 missed"),
        ]
        lines.append("")
        return lines
    }

    /// A grid of star-shaped township polygons (irregular but simple, counter-clockwise) with a county
    /// rectangle over every block of about 50 of them.
    static func generate(polygons: Int, vertices: Int, random: inout SplitMix64) -> [RegionIndex.Entry] {
        let counties = max(1, polygons / 50)
        let townships = polygons - counties
        let columns = Int(Double(townships).squareRoot().rounded(.up))
        let rows = (townships + columns - 1) / columns
        let width = (area.maxLongitude - area.minLongitude) / Double(columns)
        let height = (area.maxLatitude - area.minLatitude) / Double(rows)
        var entries: [RegionIndex.Entry] = []
        entries.reserveCapacity(polygons)
        for cell in 0..<townships {
            let centre = Coordinate(
                longitude: area.minLongitude + (Double(cell % columns) + 0.5) * width,
                latitude: area.minLatitude + (Double(cell / columns) + 0.5) * height)
            var ring: [Coordinate] = []
            for vertex in 0..<vertices {
                let angle = Double(vertex) / Double(vertices) * 2 * Double.pi
                let reach = random.uniform(0.3, 0.5)
                ring.append(
                    Coordinate(
                        longitude: centre.longitude + reach * width * cos(angle),
                        latitude: centre.latitude + reach * height * sin(angle)))
            }
            ring.append(ring[0])
            entries.append(.init(code: "T\(cell)", boundary: Boundary(polygons: [Polygon(exterior: ring)]), depth: 3))
        }
        let blockColumns = Int(Double(counties).squareRoot().rounded(.up))
        let blockRows = (counties + blockColumns - 1) / blockColumns
        let blockWidth = (area.maxLongitude - area.minLongitude) / Double(blockColumns)
        let blockHeight = (area.maxLatitude - area.minLatitude) / Double(blockRows)
        for block in 0..<counties {
            let x = area.minLongitude + Double(block % blockColumns) * blockWidth
            let y = area.minLatitude + Double(block / blockColumns) * blockHeight
            let ring = [
                Coordinate(longitude: x, latitude: y), Coordinate(longitude: x + blockWidth, latitude: y),
                Coordinate(longitude: x + blockWidth, latitude: y + blockHeight),
                Coordinate(longitude: x, latitude: y + blockHeight), Coordinate(longitude: x, latitude: y),
            ]
            entries.append(.init(code: "C\(block)", boundary: Boundary(polygons: [Polygon(exterior: ring)]), depth: 2))
        }
        return entries
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(Int((seconds(duration) * 1000).rounded()))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static var isDebugBuild: Bool {
        var debug = false
        assert(
            {
                debug = true
                return true
            }())
        return debug
    }
}

/// A small seeded generator, so every run measures the same polygons and points.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) / Double(1 << 53)
    }
}
