import Foundation
import Testing

@testable import Ingest

private func row(
    time: String = "2024-01-05T08:00:00+08:00", code: String = "a34004", value: String? = "35",
    flag: String? = nil, period: String? = "hour", unit: String? = nil
) -> ReadingRow {
    ReadingRow(station: "1001A", time: time, code: code, value: value, flag: flag, period: period, unit: unit)
}

@Suite struct ReadingRowTests {
    let eight: Int64 = 1_704_412_800  // 2024-01-05T08:00:00+08:00

    @Test func readsAnHourReading() throws {
        let reading = try row().reading(source: .http).get()
        #expect(
            reading
                == Reading(
                    stationCode: "1001A", code: "a34004", period: .hour, time: eight, value: 35, flag: "N",
                    source: .http))
    }

    @Test(arguments: [
        ("realtime", "2024-01-05T08:00:17+08:00", true),
        ("minute", "2024-01-05T08:07:00+08:00", true),
        ("minute", "2024-01-05T08:07:30+08:00", false),
        ("hour", "2024-01-05T08:00:00+08:00", true),
        ("hour", "2024-01-05T00:00:00Z", true),
        ("hour", "2024-01-05T08:30:00+08:00", false),
        ("hour", "2024-01-05T08:00:00+05:30", false),  // 10:30 in China
        ("day", "2024-01-05T00:00:00+08:00", true),
        ("day", "2024-01-04T16:00:00Z", true),  // the same instant
        ("day", "2024-01-05T00:00:00Z", false),  // 08:00 in China
    ])
    func timeMustStartThePeriod(period: String, time: String, accepted: Bool) {
        let result = row(time: time, period: period).reading(source: .csv)
        switch result {
        case .success: #expect(accepted, "accepted \(period) at \(time)")
        case .failure(let reason):
            #expect(!accepted, "rejected \(period) at \(time): \(reason)")
            #expect(reason.kind == "bad_time")
        }
    }

    @Test func misalignedHourExplainsTheRule() {
        guard case .failure(let reason) = row(time: "2024-01-05T08:30:00+08:00").reading(source: .http) else {
            Issue.record("accepted 08:30 as an hour start")
            return
        }
        #expect(reason.description.contains("08:30:00"))
        #expect(reason.description.contains("an hour reading must start on the hour"))
    }

    @Test(arguments: [
        (row(period: "hourly"), "malformed", "hourly"),
        (row(period: nil), "missing_field", "period"),
        (row(period: " "), "missing_field", "period"),
        (row(value: nil), "missing_field", "value"),
        (row(value: ""), "missing_field", "value"),
        (row(value: "NA", flag: "N"), "missing_field", "value"),
        (row(value: "abc"), "not_a_number", "abc"),
        (row(value: "nan"), "not_a_number", "nan"),
        (row(value: "inf"), "not_a_number", "inf"),
        (row(time: ""), "missing_field", "time"),
        (row(time: "2024-01-05T08:00:00"), "bad_time", "+08:00"),
        (row(code: ""), "missing_field", "code"),
        (
            ReadingRow(station: " ", time: "2024-01-05T08:00:00Z", code: "a34004", value: "1", period: "hour"),
            "missing_field", "station"
        ),
    ])
    func rejects(row: ReadingRow, kind: String, mentions: String) {
        guard case .failure(let reason) = row.reading(source: .http) else {
            Issue.record("accepted \(row)")
            return
        }
        #expect(reason.kind == kind)
        #expect(reason.description.contains(mentions))
    }

    @Test func aFlaggedRowMayHaveNoValue() throws {
        let maintenance = try row(value: "", flag: "M").reading(source: .http).get()
        #expect(maintenance.value == nil)
        #expect(maintenance.flag == "M")
        let dash = try row(value: "—", flag: "D").reading(source: .http).get()
        #expect(dash.value == nil)
        let withValue = try row(value: "12.5", flag: "C").reading(source: .http).get()
        #expect(withValue.value == 12.5)
        #expect(!withValue.entersAverages)
    }

    @Test func flagDefaultsToNormalAndPeriodIsCaseInsensitive() throws {
        let reading = try row(flag: " ", period: "Hour").reading(source: .http).get()
        #expect(reading.flag == "N")
        #expect(reading.period == .hour)
    }

    @Test func exposesTheUnitWithoutConverting() throws {
        let imported = try row(code: "a21005", value: "800", unit: "µg/m³").imported(source: .csv).get()
        #expect(imported.reading.value == 800)
        #expect(imported.unit == .microgramPerCubicMetre)
        let validator = ReadingValidator(profiles: ["1001A": StationReportingProfile(stationCode: "1001A")])
        let stored = try validator.validate(imported.reading, now: eight + 7200, unit: imported.unit).get()
        #expect(abs(stored.value! - 0.8) < 1e-12)
        #expect(try row(unit: "").measurementUnit().get() == nil)
        guard case .failure(let reason) = row(unit: "furlongs").imported(source: .csv) else {
            Issue.record("accepted an unknown unit")
            return
        }
        #expect(reason.kind == "unit_mismatch")
    }

    @Test func decodesJSONWithNumberOrStringValues() throws {
        let json = """
            [{"station":"1001A","time":"2024-01-05T08:00:00+08:00","code":"a34004","value":35.2,"flag":"N","period":"hour"},
             {"station":"1001A","time":"2024-01-05T08:00:00+08:00","code":"a21005","value":"0.8","period":"hour","unit":"mg/m3"},
             {"station":"1001A","time":"2024-01-05T08:00:00+08:00","code":"a21026","value":null,"flag":"M","period":"hour"}]
            """
        let rows = try JSONDecoder().decode([ReadingRow].self, from: Data(json.utf8))
        let readings = try rows.map { try $0.reading(source: .http).get() }
        #expect(readings.map(\.value) == [35.2, 0.8, nil])
        #expect(rows[1].unit == "mg/m3")
        #expect(readings.allSatisfy { $0.time == eight })
        let roundTrip = try JSONDecoder().decode([ReadingRow].self, from: JSONEncoder().encode(rows))
        #expect(roundTrip == rows)
    }
}
