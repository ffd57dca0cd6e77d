/// What validation needs to know about a station: whether it may report, whether it is an emission
/// source (units), and the units it was registered with per code.
public struct StationReportingProfile: Sendable, Hashable {
    public var stationCode: String
    public var retired: Bool
    public var emission: Bool
    /// Registered unit per code; a code not listed is taken to be in its canonical unit.
    public var units: [String: MeasurementUnit]

    public init(
        stationCode: String, retired: Bool = false, emission: Bool = false, units: [String: MeasurementUnit] = [:]
    ) {
        self.stationCode = stationCode
        self.retired = retired
        self.emission = emission
        self.units = units
    }
}

/// Checks readings before they are stored and converts them to canonical units. Pure: the clock and the
/// station profiles are inputs.
public struct ReadingValidator: Sendable {
    /// How far ahead of the server clock a reading may be: device clocks drift, but data more than an hour
    /// in the future is a clock fault and would poison roll-ups.
    public static let maximumFutureSkew: Int64 = 3600

    public var profiles: [String: StationReportingProfile]

    public init(profiles: [String: StationReportingProfile]) {
        self.profiles = profiles
    }

    /// The reading in canonical units, or why it is rejected. `unit`, when given, overrides the station's
    /// registered unit for this reading (files that say their unit).
    public func validate(_ reading: Reading, now: Int64, unit: MeasurementUnit? = nil) -> Result<
        Reading, RejectionReason
    > {
        guard let profile = profiles[reading.stationCode] else { return .failure(.unknownStation(reading.stationCode)) }
        if profile.retired { return .failure(.stationRetired(reading.stationCode)) }
        return Self.validate(reading, profile: profile, now: now, unit: unit)
    }

    public static func validate(
        _ reading: Reading, profile: StationReportingProfile, now: Int64, unit: MeasurementUnit? = nil
    ) -> Result<Reading, RejectionReason> {
        guard let info = PollutantCatalog.info(reading.code, emission: profile.emission) else {
            return .failure(.unknownCode(reading.code))
        }
        if reading.time > now + maximumFutureSkew { return .failure(.inFuture(time: reading.time, now: now)) }
        let from = unit ?? profile.units[reading.code] ?? info.unit
        guard let factor = from.factor(to: info.unit) else {
            return .failure(.unitMismatch(code: reading.code, unit: from.symbol))
        }
        var converted = reading
        for keyPath in [\Reading.value, \.minimum, \.maximum, \.converted] {
            guard let raw = reading[keyPath: keyPath] else { continue }
            guard raw.isFinite else { return .failure(.notANumber(String(raw))) }
            let value = raw * factor
            if value < 0, info.plausible.lowerBound >= 0 { return .failure(.negative(code: reading.code, value: raw)) }
            if !info.plausible.contains(value) {
                return .failure(.implausible(code: reading.code, value: raw, range: info.plausible))
            }
            converted[keyPath: keyPath] = value
        }
        if let cumulative = reading.cumulative, !cumulative.isFinite {
            return .failure(.notANumber(String(cumulative)))
        }
        return .success(converted)
    }
}
