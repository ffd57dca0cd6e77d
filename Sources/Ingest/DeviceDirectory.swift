import Campaign

/// Finds the station behind an HJ 212 `MN`. Implemented by the store; the TCP service caches it.
public protocol DeviceDirectory: Sendable {
    func station(mn: String) async throws -> Station?
}

extension StationReportingProfile {
    /// The validation profile of a registered station.
    public init(station: Station) {
        var units: [String: MeasurementUnit] = [:]
        for pollutant in station.pollutants {
            if let unit = MeasurementUnit(text: pollutant.unit) { units[pollutant.code] = unit }
        }
        self.init(
            stationCode: station.code, retired: station.status == .retired, emission: station.kind == .sourceMonitor,
            units: units)
    }
}
