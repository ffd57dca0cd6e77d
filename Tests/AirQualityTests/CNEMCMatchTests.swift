import AirQuality
import Foundation
import Testing

/// The computed real-time AQI and primary pollutant equal CNEMC's published ones (STANDARDS §1.4 [C]).
struct CNEMCMatchTests {
    struct Tally: CustomStringConvertible {
        var published = 0
        var aqiMatched = 0
        var primaryMatched = 0
        var categoryMatched = 0
        var mismatches: [String] = []
        var description: String {
            "\(aqiMatched)/\(published) AQI, \(primaryMatched)/\(published) primary, \(categoryMatched)/\(published) category"
        }
    }

    /// Compares every row that has a published AQI.
    static func compare(_ text: String) -> Tally {
        let records = CSVReader.records(text)
        let header = records[0].fields
        let aqiColumn = header.firstIndex(of: "AQI")!
        let qualityColumn = header.firstIndex(of: "Quality")!
        let primaryColumn = header.firstIndex(of: "PrimaryPollutant")!
        let stationColumn = header.firstIndex(of: "StationCode")!
        let report = AQIReport.make(text: text, format: .cnemc, rules: .auto, mode: .realtime)
        let output = CSVReader.records(report.csv).dropFirst()
        var tally = Tally()
        for (record, row) in zip(records.dropFirst(), output) {
            let published = record.fields[aqiColumn]
            guard Int(published) != nil else { continue }
            tally.published += 1
            #expect(row.fields[0] == record.fields[stationColumn])
            if row.fields[2] == published { tally.aqiMatched += 1 }
            if row.fields[5] == record.fields[primaryColumn] { tally.primaryMatched += 1 }
            if row.fields[4] == record.fields[qualityColumn] { tally.categoryMatched += 1 }
            if row.fields[2] != published || row.fields[5] != record.fields[primaryColumn] {
                tally.mismatches.append(
                    "line \(record.line): published \(published) \(record.fields[primaryColumn]), got \(row.fields)")
            }
        }
        return tally
    }

    static var fixtureFiles: [URL] { TestData.csvFiles(in: TestData.fixtures?.appendingPathComponent("cnemc")) }

    @Test
    func fixtureSubsetIsPresent() {
        // Given the committed fixture subset
        // Then there is one file per shared snapshot
        #expect(Self.fixtureFiles.count == 4)
    }

    @Test(arguments: CNEMCMatchTests.fixtureFiles)
    func fixtureSnapshotMatchesPublishedAQI(file: URL) throws {
        // Given a committed subset of an official CNEMC release
        let text = try TestData.text(file)
        // When every row is recomputed under the rules in force on its date
        let tally = Self.compare(text)
        // Then AQI, primary pollutant and category equal the published ones for 100 % of stations
        print("CNEMC fixture \(file.lastPathComponent): \(tally)")
        #expect(tally.published > 200)
        #expect(tally.aqiMatched == tally.published, "\(tally.mismatches.prefix(5))")
        #expect(tally.primaryMatched == tally.published, "\(tally.mismatches.prefix(5))")
        #expect(tally.categoryMatched == tally.published)
    }

    @Test
    func sharedSnapshotsMatchPublishedAQI() throws {
        // Given the full shared snapshots, when present (LANTIAN_SHARED_DATA or ../shared/data)
        let files = TestData.csvFiles(in: TestData.sharedData?.appendingPathComponent("cnemc-realtime"))
        guard !files.isEmpty else {
            print("CNEMC shared data not found: only the committed fixtures were checked")
            return
        }
        for file in files {
            // When every station is recomputed
            let tally = Self.compare(try TestData.text(file))
            // Then 100 % match
            print("CNEMC shared \(file.lastPathComponent): \(tally)")
            #expect(tally.published > 1_000)
            #expect(tally.aqiMatched == tally.published, "\(file.lastPathComponent) \(tally.mismatches.prefix(5))")
            #expect(tally.primaryMatched == tally.published, "\(file.lastPathComponent) \(tally.mismatches.prefix(5))")
            #expect(tally.categoryMatched == tally.published)
        }
    }
}
