/// A change to some fields of a region; nil leaves a field alone, `.some(nil)` clears a clearable one.
public struct RegionPatch: Sendable, Hashable {
    public var name: String?
    public var level: RegionLevel?
    public var parentCode: String??
    public var boundary: Boundary??
    public var isDemoGeometry: Bool?

    public init(
        name: String? = nil, level: RegionLevel? = nil, parentCode: String?? = nil, boundary: Boundary?? = nil,
        isDemoGeometry: Bool? = nil
    ) {
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.boundary = boundary
        self.isDemoGeometry = isDemoGeometry
    }

    public func applied(to current: MappedRegion) -> MappedRegion {
        var updated = current
        if let name { updated.region.name = name }
        if let level { updated.region.level = level }
        if let parentCode { updated.region.parentCode = parentCode }
        if let boundary { updated.boundary = boundary }
        if let isDemoGeometry { updated.isDemoGeometry = isDemoGeometry }
        return updated
    }
}

extension MappedRegion {
    /// Every problem with the region on its own: code, name, parent, and the boundary's geometry (RFC 7946).
    public var problems: [FieldProblem] {
        region.problems + (boundary?.problems ?? []).map { FieldProblem(field: "boundary", message: $0.description) }
    }
}
