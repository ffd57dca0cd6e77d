/// A partial change to a registered station: a nil field is left as it is.
///
/// The code never changes (it is the station's identity in every ledger). Fields that may be cleared are
/// double optionals: `nil` leaves them, `.some(nil)` clears them.
public struct StationPatch: Sendable, Hashable {
    public var name: String?
    public var kind: StationKind?
    public var longitude: Double?
    public var latitude: Double?
    public var regionCode: String??
    public var responsibleUnitCode: String??
    public var status: StationStatus?
    /// `.some(nil)` removes the HJ 212 identity; `.some(change)` changes it, or gives one to a station without.
    public var hj212: HJ212IdentityPatch??
    /// Replaces the whole list.
    public var pollutants: [ReportedPollutant]?

    public init(
        name: String? = nil, kind: StationKind? = nil, longitude: Double? = nil, latitude: Double? = nil,
        regionCode: String?? = nil, responsibleUnitCode: String?? = nil, status: StationStatus? = nil,
        hj212: HJ212IdentityPatch?? = nil, pollutants: [ReportedPollutant]? = nil
    ) {
        self.name = name
        self.kind = kind
        self.longitude = longitude
        self.latitude = latitude
        self.regionCode = regionCode
        self.responsibleUnitCode = responsibleUnitCode
        self.status = status
        self.hj212 = hj212
        self.pollutants = pollutants
    }

    /// The station after the change. Not validated: check `problems` of the result.
    public func applied(to station: Station) -> Station {
        var result = station
        if let name { result.name = name }
        if let kind { result.kind = kind }
        if let longitude { result.coordinate.longitude = longitude }
        if let latitude { result.coordinate.latitude = latitude }
        if let regionCode { result.regionCode = regionCode }
        if let responsibleUnitCode { result.responsibleUnitCode = responsibleUnitCode }
        if let status { result.status = status }
        if let hj212 { result.hj212 = hj212.map { $0.applied(to: station.hj212) } }
        if let pollutants { result.pollutants = pollutants }
        return result
    }
}

/// A partial change to an HJ 212 identity; nil fields keep their value (the password included, so an
/// operator can change the protocols without knowing the device password).
public struct HJ212IdentityPatch: Sendable, Hashable {
    public var mn: String?
    public var password: String?
    public var protocols: Set<HJ212ProtocolEdition>?
    public var crcPolicy: HJ212CRCPolicy?
    public var tolerant: Bool?

    public init(
        mn: String? = nil, password: String? = nil, protocols: Set<HJ212ProtocolEdition>? = nil,
        crcPolicy: HJ212CRCPolicy? = nil, tolerant: Bool? = nil
    ) {
        self.mn = mn
        self.password = password
        self.protocols = protocols
        self.crcPolicy = crcPolicy
        self.tolerant = tolerant
    }

    /// Applied to the current identity, or to a new one (empty MN and password, which validation then
    /// reports, every edition, the standard CRC, tolerant) when the station has none.
    public func applied(to identity: HJ212Identity?) -> HJ212Identity {
        var result = identity ?? HJ212Identity(mn: "", password: "")
        if let mn { result.mn = mn }
        if let password { result.password = password }
        if let protocols { result.protocols = protocols }
        if let crcPolicy { result.crcPolicy = crcPolicy }
        if let tolerant { result.tolerant = tolerant }
        return result
    }
}
