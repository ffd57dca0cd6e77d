import Testing

@testable import Ingest

@Suite struct ReadingValidatorTests {
    let now: Int64 = 1_700_000_000
    let validator = ReadingValidator(profiles: [
        "1001A": StationReportingProfile(stationCode: "1001A"),
        "OLD": StationReportingProfile(stationCode: "OLD", retired: true),
        "MG": StationReportingProfile(stationCode: "MG", units: ["a21026": .milligramPerCubicMetre]),
    ])

    func reading(_ station: String = "1001A", _ code: String = "a34004", _ value: Double?, time: Int64? = nil)
        -> Reading
    {
        Reading(stationCode: station, code: code, period: .hour, time: time ?? now - 3600, value: value, source: .http)
    }

    /// A PM2.5 reading of station 1001A.
    func reading(value: Double?, time: Int64? = nil) -> Reading {
        reading("1001A", "a34004", value, time: time)
    }

    @Test(arguments: [
        ("NOPE", "a34004", 10.0, "unknown_station"),
        ("OLD", "a34004", 10.0, "station_retired"),
        ("1001A", "x99999", 10.0, "unknown_code"),
        ("1001A", "a34004", -1.0, "negative"),
        ("1001A", "a34004", 100_000.0, "implausible"),
        ("1001A", "a01002", 101.0, "implausible"),
        ("1001A", "a34004", Double.nan, "not_a_number"),
    ])
    func rejects(station: String, code: String, value: Double, kind: String) {
        let result = validator.validate(reading(station, code, value), now: now)
        guard case .failure(let reason) = result else {
            Issue.record("accepted \(station) \(code) \(value)")
            return
        }
        #expect(reason.kind == kind)
        #expect(!reason.description.isEmpty)
    }

    @Test func futureBeyondOneHourIsRejectedButSkewWithinAnHourIsNot() {
        let late = validator.validate(reading(value: 5, time: now + 3601), now: now)
        #expect((try? late.get()) == nil)
        let skewed = validator.validate(reading(value: 5, time: now + 3600), now: now)
        #expect((try? skewed.get())?.value == 5)
    }

    @Test func negativeTemperatureIsFine() throws {
        let cold = try validator.validate(reading("1001A", "a01001", -25), now: now).get()
        #expect(cold.value == -25)
    }

    @Test func convertsRegisteredUnitsToCanonical() throws {
        let so2 = try validator.validate(reading("MG", "a21026", 0.012), now: now).get()
        #expect(abs(so2.value! - 12) < 1e-9)
        let co = try validator.validate(reading("1001A", "a21005", 300), now: now, unit: .microgramPerCubicMetre).get()
        #expect(abs(co.value! - 0.3) < 1e-12)
        let pressure = try validator.validate(reading("1001A", "a01006", 1013.2), now: now, unit: .hectopascal).get()
        #expect(abs(pressure.value! - 101.32) < 1e-9)
        let mismatch = validator.validate(reading("1001A", "a34004", 1), now: now, unit: .degreeCelsius)
        guard case .failure(.unitMismatch) = mismatch else {
            Issue.record("expected unit mismatch")
            return
        }
    }

    @Test func unitSpellings() {
        #expect(MeasurementUnit(text: "µg/m³") == .microgramPerCubicMetre)
        #expect(MeasurementUnit(text: "μg/m3") == .microgramPerCubicMetre)
        #expect(MeasurementUnit(text: "mg/m³") == .milligramPerCubicMetre)
        #expect(MeasurementUnit(text: "℃") == .degreeCelsius)
        #expect(MeasurementUnit(text: "hPa") == .hectopascal)
        #expect(MeasurementUnit(text: "furlongs") == nil)
    }

    @Test func onlyNormalFlagsEnterAverages() {
        var value = reading(value: 10)
        #expect(value.entersAverages)
        value.flag = "D"
        #expect(!value.entersAverages)
        value.flag = "N"
        value.value = nil
        #expect(!value.entersAverages)
    }
}
