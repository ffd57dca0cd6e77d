import AirQuality
import Foundation
import Testing

@testable import Ingest

/// 2013-02-28T23:00:00+08:00: the start of the hour the first UCI row labels (2013-03-01 hour 0).
private let firstBeijingHour: Int64 = 1_362_063_600

@Suite struct BeijingMultiSiteFormatTests {
    @Test(arguments: [
        ("PRSA_Data_Aotizhongxin_first60.csv", 60, 540, 0),
        ("PRSA_Data_Dongsi_first60.csv", 60, 536, 4),
        ("PRSA_Data_Wanliu_NA_rows.csv", 22, 168, 30),
    ])
    func countsReadingsAndMissingValues(file: String, rows: Int, readings: Int, missing: Int) throws {
        let batch = BeijingMultiSiteFormat.parse(try IngestFixtures.text("beijing/\(file)"))
        #expect(batch.rowCount == rows)
        #expect(batch.readings.count == readings)
        #expect(batch.missing == missing)
        #expect(batch.rejections.isEmpty)
        #expect(batch.readings.allSatisfy { $0.reading.period == .hour && $0.reading.source == .beijing })
    }

    @Test func firstRowIsTheHourBeforeItsLabelWithFileUnits() throws {
        // Given row 1 of Aotizhongxin: 2013,3,1,0 → PM2.5 4, CO 300 (µg/m³), PRES 1023 (hPa)
        let batch = BeijingMultiSiteFormat.parse(try IngestFixtures.text("beijing/PRSA_Data_Aotizhongxin_first60.csv"))
        let first = batch.readings.prefix(9)
        #expect(first.allSatisfy { $0.reading.stationCode == "1011A" && $0.reading.time == firstBeijingHour })
        #expect(ISO8601Time.format(firstBeijingHour) == "2013-02-28T23:00:00+08:00")
        let byCode = Dictionary(uniqueKeysWithValues: first.map { ($0.reading.code, $0) })
        #expect(byCode["a34004"]?.reading.value == 4)
        #expect(byCode["a21005"]?.reading.value == 300)
        #expect(byCode["a21005"]?.unit == .microgramPerCubicMetre)
        #expect(byCode["a01001"]?.reading.value == -0.7)

        // When validated, CO becomes mg/m³ and pressure kPa
        let validator = ReadingValidator(profiles: ["1011A": StationReportingProfile(stationCode: "1011A")])
        let now = firstBeijingHour + 86_400
        let co = try validator.validate(byCode["a21005"]!.reading, now: now, unit: byCode["a21005"]!.unit).get()
        #expect(abs(co.value! - 0.3) < 1e-12)
        let pressure = try validator.validate(byCode["a01006"]!.reading, now: now, unit: byCode["a01006"]!.unit).get()
        #expect(abs(pressure.value! - 102.3) < 1e-9)

        // Row 60 (2013-03-03 hour 11) starts at 10:00 China time
        #expect(batch.readings.last?.reading.time == firstBeijingHour + 59 * 3600)
    }

    @Test func missingValuesAreNotReadings() throws {
        // Dongsi No 3: SO2 NA; No 4: CO and O3 NA (lines 4 and 5 of the file)
        let batch = BeijingMultiSiteFormat.parse(try IngestFixtures.text("beijing/PRSA_Data_Dongsi_first60.csv"))
        let third = batch.readings.filter { $0.reading.time == firstBeijingHour + 2 * 3600 }
        #expect(third.count == 8)
        #expect(!third.contains { $0.reading.code == "a21026" })
        let fourth = batch.readings.filter { $0.reading.time == firstBeijingHour + 3 * 3600 }.map(\.reading.code)
        #expect(fourth == ["a34004", "a34002", "a21026", "a21004", "a01001", "a01006", "a01007"])
    }

    @Test func badRowsAreRejectedWithLineNumbers() {
        let text = """
            "No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP","PRES","DEWP","RAIN","wd","WSPM","station"
            1,2013,3,1,0,4,4,4,7,300,77,-0.7,1023,-18.8,0,"NNW",4.4,"Aotizhongxin"
            2,2013,3,1,1,8,8,4,7,300,77,-1.1,1023.2,-18.2,0,"N",4.7,"Xizhimen"
            3,2013,2,30,2,7,7,5,10,300,73,-1.1,1023.5,-18.2,0,"NNW",5.6,"Aotizhongxin"

            4,2013,3,1,3,6,abc,11,11,300,72,-1.4,1024.5,-19.4,0,"NW",3.1,"Aotizhongxin"
            5,2013,3,1,4,3,3
            """
        let batch = BeijingMultiSiteFormat.parse(text)
        #expect(batch.rowCount == 5)
        #expect(batch.readings.count == 9 + 8)
        let summary = batch.rejections.map { "\($0.position!) \($0.reason.kind) \($0.code ?? "-")" }
        #expect(summary == ["3 unknown_station -", "4 bad_time -", "6 not_a_number a34002", "7 malformed -"])
        #expect(batch.rejections[0].reason.description.contains("Xizhimen"))
        #expect(batch.rejections[2].reason.description.contains("abc"))
    }

    @Test func aHeaderWithoutAColumnIsOneRejection() {
        let batch = BeijingMultiSiteFormat.parse("No,year,month,day,hour,PM2.5,station\n1,2013,3,1,0,4,Dongsi\n")
        #expect(batch.rowCount == 0)
        #expect(batch.rejections.map(\.position) == [1])
        #expect(batch.rejections.first?.reason == .missingField("PM10"))
    }

    @Test(arguments: [1, 7, 100, 4096])
    func chunkedReadingMatchesWholeFile(chunk: Int) throws {
        let text = try IngestFixtures.text("beijing/PRSA_Data_Wanliu_NA_rows.csv") + "1,2013,3,1,0,4,x"
        let whole = BeijingMultiSiteFormat.parse(text)
        var reader = ReadingFileReader<BeijingMultiSiteFormat>()
        var batch = ImportBatch()
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            batch.append(reader.feed(bytes[start..<min(start + chunk, bytes.count)]))
        }
        batch.append(reader.finish())
        #expect(batch == whole)
        #expect(batch.rejections.map(\.position) == [24])
    }

    @Test(.enabled(if: IngestFixtures.sharedData != nil)) func wholeSharedFileInChunks() throws {
        // Given the full Aotizhongxin file (35,064 rows; NA counts by an independent CSV reader)
        let url = IngestFixtures.sharedData!.appendingPathComponent(
            "beijing-multisite/PRSA_Data_Aotizhongxin_20130301-20170228.csv")
        let data = try Data(contentsOf: url)
        var reader = ReadingFileReader<BeijingMultiSiteFormat>()
        var rows = 0
        var readings = 0
        var missing = 0
        var rejections = 0
        for start in stride(from: 0, to: data.count, by: 65_536) {
            let batch = reader.feed(data[start..<min(start + 65_536, data.count)])
            (rows, readings, missing) = (
                rows + batch.rowCount, readings + batch.readings.count, missing + batch.missing
            )
            rejections += batch.rejections.count
        }
        let last = reader.finish()
        #expect(last.rowCount == 0)
        #expect(rows == 35_064)
        #expect(readings == 308_426)
        #expect(missing == 7150)
        #expect(rejections == 0)
    }
}

@Suite struct CNEMCRealtimeFormatTests {
    let hourStart: Int64 = 1_563_418_800  // 2019-07-18T11:00:00+08:00

    @Test func readsTheFixtureRelease() throws {
        let batch = CNEMCRealtimeFormat.parse(try IngestFixtures.text("cnemc/cnemc_20190718T12.csv"))
        #expect(batch.rowCount == 251)
        #expect(batch.readings.count == 1355)
        #expect(batch.missing == 151)
        #expect(batch.rejections.isEmpty)
        #expect(batch.readings.allSatisfy { $0.reading.time == hourStart && $0.reading.period == .hour })
    }

    @Test func ozoneComesFromTheSwappedColumnAndTimeIsTheHourStart() throws {
        // 1004A 天坛: O3 = 83 (max of 24 h), O3_24h = 58 (the latest hour), CO 1.5 mg/m³
        let batch = CNEMCRealtimeFormat.parse(try IngestFixtures.text("cnemc/cnemc_20190718T12.csv"))
        let tiantan = Dictionary(
            uniqueKeysWithValues: batch.readings.filter { $0.reading.stationCode == "1004A" }.map {
                ($0.reading.code, $0)
            })
        #expect(tiantan["a05024"]?.reading.value == 58)
        #expect(tiantan["a21005"]?.reading.value == 1.5)
        #expect(tiantan["a21005"]?.unit == .milligramPerCubicMetre)
        #expect(tiantan["a34002"]?.reading.value == 151)
        #expect(tiantan["a34004"]?.reading.value == 71)
        #expect(tiantan.values.allSatisfy { $0.reading.source == .cnemc })
        // 1002A 定陵: O3_24h is `—`, so no O3 reading although `O3` holds 87
        let dingling = batch.readings.filter { $0.reading.stationCode == "1002A" }.map(\.reading.code)
        #expect(dingling.count == 5)
        #expect(!dingling.contains("a05024"))
    }

    @Test func badRowsAreRejectedWithLineNumbers() {
        let text = """
            TimePoint,StationCode,PM2_5,PM10,SO2,NO2,CO,O3,O3_24h
            2019-07-18T12:00:00,1001A,101,92,3,28,1.2,114,114
            2019-07-18T12:30:00,1001A,101,92,3,28,1.2,114,114
            soon,1001A,101,92,3,28,1.2,114,114
            2019-07-18T12:00:00,,101,92,3,28,1.2,114,114
            2019-07-18T12:00:00,1002A,49,50,3,4,x,87,—
            2019-07-18T12:00:00,1003A,49
            """
        let batch = CNEMCRealtimeFormat.parse(text)
        #expect(batch.rowCount == 6)
        #expect(batch.readings.count == 6 + 4)
        #expect(batch.missing == 1)
        let summary = batch.rejections.map { "\($0.position!) \($0.reason.kind) \($0.code ?? "-")" }
        #expect(
            summary == [
                "3 bad_time -", "4 bad_time -", "5 missing_field -", "6 not_a_number a21005", "7 malformed -",
            ])
        #expect(batch.rejections[3].reason.description.contains("CO=x"))
    }

    @Test func requiresTheColumnsLantianAQIReads() {
        let batch = CNEMCRealtimeFormat.parse("TimePoint,StationCode,PM2_5,PM10,SO2,NO2,CO,O3\n")
        #expect(batch.rejections.first?.reason == .missingField("O3_24h"))
    }
}

@Suite struct ReadingsCSVFormatTests {
    let eight: Int64 = 1_704_412_800  // 2024-01-05T08:00:00+08:00

    @Test func readsTheDocumentedExample() throws {
        let text = """
            station,time,code,value,flag,period,unit
            1001A,2024-01-05T08:00:00+08:00,a34004,35,N,hour,
            1001A,2024-01-05T08:00:00+08:00,a21005,800,N,hour,µg/m³
            1001A,2024-01-05T08:00:00+08:00,a21026,,M,hour,
            1001A,2024-01-05T08:05:00+08:00,a34004,36.5,N,minute,
            1001A,2024-01-05T00:00:00+08:00,a34004,41,N,day,

            """
        let batch = ReadingsCSVFormat.parse(text)
        #expect(batch.rowCount == 5)
        #expect(batch.rejections.isEmpty)
        #expect(batch.readings.map(\.reading.value) == [35, 800, nil, 36.5, 41])
        #expect(batch.readings.map(\.unit) == [nil, .microgramPerCubicMetre, nil, nil, nil])
        #expect(batch.readings.map(\.reading.period) == [.hour, .hour, .hour, .minute, .day])
        #expect(batch.readings[0].reading.time == eight)
        #expect(batch.readings.allSatisfy { $0.reading.source == .csv })
    }

    @Test func columnsInAnyOrderFlagOptionalQuotedFields() throws {
        let text =
            "Period,Value,CODE,Time,Station,comment\r\nhour,35,a34004,2024-01-05T00:00:00Z,\"1001A\",\"a, b\"\r\n"
        let batch = ReadingsCSVFormat.parse(text)
        #expect(batch.rejections.isEmpty)
        #expect(batch.readings.first?.reading.time == eight)
        #expect(batch.readings.first?.reading.flag == "N")
        #expect(batch.readings.first?.reading.stationCode == "1001A")
    }

    @Test func badRowsAreRejectedWithLineNumbersAndReasons() {
        let text = """
            station,time,code,value,flag,period
            1001A,2024-01-05T08:00:00+08:00,a34004,35,N,hour
            1001A,2024-01-05T08:30:00+08:00,a34004,35,N,hour
            1001A,2024-01-05T08:00:00,a34004,35,N,hour
            1001A,2024-01-05T08:00:00+08:00,a34004,,N,hour
            1001A,2024-01-05T08:00:00+08:00,a34004,many,N,hour
            1001A,2024-01-05T08:00:00+08:00,a34004,35,N,weekly
            1001A,2024-01-05T08:00:00+08:00
            """
        let batch = ReadingsCSVFormat.parse(text)
        #expect(batch.rowCount == 7)
        #expect(batch.readings.count == 1)
        let summary = batch.rejections.map { "\($0.position!) \($0.reason.kind)" }
        #expect(
            summary == [
                "3 bad_time", "4 bad_time", "5 missing_field", "6 not_a_number", "7 malformed", "8 malformed",
            ])
        #expect(batch.rejections[0].stationCode == "1001A")
        #expect(batch.rejections[0].code == "a34004")
        #expect(batch.rejections[4].reason.description.contains("weekly"))
    }

    @Test func aHeaderIsRequired() {
        let headerless = ReadingsCSVFormat.parse("1001A,2024-01-05T08:00:00+08:00,a34004,35,N,hour\n")
        #expect(headerless.rejections.count == 1)
        #expect(headerless.rejections.first?.position == 1)
        #expect(headerless.readings.isEmpty)
        let empty = ReadingsCSVFormat.parse("")
        #expect(empty.rejections.map(\.reason.kind) == ["missing_field"])
        let headerOnly = ReadingsCSVFormat.parse("station,time,code,value,flag,period\n")
        #expect(headerOnly.rejections.isEmpty)
        #expect(headerOnly.rowCount == 0)
    }

    @Test func parsesAChunkOfLinesFromAGivenLine() throws {
        let format = try ReadingsCSVFormat(header: ["station", "time", "code", "value", "flag", "period"])
        let lines = "1001A,2024-01-05T08:00:00+08:00,a34004,35,N,hour\n1001A,bad,a34004,35,N,hour\n"
        let batch = format.parse(lines[...], firstLine: 1_001)
        #expect(batch.readings.count == 1)
        #expect(batch.rejections.map(\.position) == [1_002])
    }
}
