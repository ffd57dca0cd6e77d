/// 国控点/省控点周边管控区: the circle of `radius` metres around a control station, managed specially
/// (the campaign's 500 m and 1000 m zones). A first-class object: things inside are found by distance.
public struct ControlZone: Sendable, Hashable, Codable {
    public var stationCode: String
    public var centre: Coordinate
    public var radius: Double

    public init(stationCode: String, centre: Coordinate, radius: Double) {
        self.stationCode = stationCode
        self.centre = centre
        self.radius = radius
    }

    /// `stationCode` + radius, e.g. `1001A-500`.
    public var code: String { "\(stationCode)-\(Int(radius))" }

    public var displayName: String { "\(stationCode) 周边 \(Int(radius)) 米管控区" }

    public func contains(_ point: Coordinate) -> Bool {
        Distance.metres(centre, point) <= radius
    }

    /// The default radii of the campaign reports: 500 m and 1,000 m.
    public static let defaultRadii: [Double] = [500, 1_000]

    /// Zones around every active national and provincial station.
    public static func zones(around stations: [Station], radii: [Double] = defaultRadii) -> [ControlZone] {
        stations.filter { ($0.kind == .national || $0.kind == .provincial) && $0.status != .retired }
            .flatMap { station in
                radii.map { ControlZone(stationCode: station.code, centre: station.coordinate, radius: $0) }
            }
    }
}
