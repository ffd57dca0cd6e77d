import Foundation
import LantianTestSupport
import Testing

/// `lantian aqi` as an analyst runs it on an official CNEMC release.
@Suite("lantian aqi")
struct AQICommandTests {
    @Test(arguments: ["cnemc_20170707T16.csv", "cnemc_20190718T14.csv"])
    func reproducesThePublishedAQIOfACNEMCRelease(fixture: String) throws {
        let path = RepositoryPaths.fixtures.appendingPathComponent("cnemc/\(fixture)").path
        let result = try LantianProcess.run(["aqi", path, "--format", "cnemc"])
        #expect(result.status == 0)

        let published = try publishedAQI(path)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "station,time,aqi,level,category,primary_pollutants")
        #expect(lines.count - 1 == published.count)  // one line per input row, computed or not
        var compared = 0
        for (line, expected) in zip(lines.dropFirst(), published) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields[0] == expected.station)
            guard let aqi = expected.aqi else { continue }
            #expect(fields[2] == aqi, "\(line)")
            #expect(fields[4] == expected.quality, "\(line)")
            compared += 1
        }
        #expect(compared > 200)
    }

    @Test func badOptionsAreNamed() throws {
        let result = try LantianProcess.run(["aqi", "/nonexistent.csv", "--format", "xml", "--mode", "weekly"])
        #expect(result.status == 64)
        #expect(result.errorOutput.contains("--format xml"))
        #expect(result.errorOutput.contains("--mode weekly"))
    }

    @Test func invalidValuesAreReportedNotComputed() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("aqi-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        station,time,SO2,NO2,CO,O3,PM10,PM2.5
        A,2026-03-01T01:00:00+08:00,5,20,0.5,60,40,76
        B,2026-03-01T01:00:00+08:00,5,20,0.5,60,40,-3
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try LantianProcess.run(["aqi", file.path, "--format", "csv"])
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines[1] == "A,2026-03-01T01:00:00+08:00,115,三级,轻度污染,PM2.5")  // HJ 633—2026: PM2.5 76 → 115
        #expect(lines[2].hasPrefix("B,2026-03-01T01:00:00+08:00,,"))
        #expect(result.errorOutput.contains("第 3 行 [PM2.5]"))
    }

    /// (station, published AQI or nil, published category) per data row of a CNEMC CSV.
    private func publishedAQI(_ path: String) throws -> [(station: String, aqi: String?, quality: String)] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",").map(String.init)
        let station = header.firstIndex(of: "StationCode")!
        let aqi = header.firstIndex(of: "AQI")!
        let quality = header.firstIndex(of: "Quality")!
        return lines.dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let value = fields[aqi]
            return (fields[station], Int(value) != nil ? value : nil, fields[quality])
        }
    }
}
