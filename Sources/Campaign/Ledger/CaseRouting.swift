/// Which unit a case goes to, as a table of data: the first route whose category and region fit decides
/// (e.g. construction dust → the housing and construction bureau; cooking fumes → 城管; anything in a
/// township → that township's office). Regions match the case's region or any region above it.
public struct CaseRoutingTable: Sendable, Hashable, Codable {
    public struct Route: Sendable, Hashable, Codable {
        public var name: String
        /// Nil: any category.
        public var categories: Set<CaseCategory>?
        /// Nil: anywhere; otherwise the case's region or an ancestor must be one of these.
        public var regionCodes: Set<String>?
        /// The unit responsible; nil means "the unit that answers for the case's township" (resolved by
        /// the caller from the region tree).
        public var unitCode: String?
        /// Units asked to cooperate (配合单位).
        public var cooperatingUnits: [String]

        public init(
            name: String, categories: Set<CaseCategory>? = nil, regionCodes: Set<String>? = nil, unitCode: String?,
            cooperatingUnits: [String] = []
        ) {
            self.name = name
            self.categories = categories
            self.regionCodes = regionCodes
            self.unitCode = unitCode
            self.cooperatingUnits = cooperatingUnits
        }

        public func matches(category: CaseCategory, regionPath: [String]) -> Bool {
            if let categories, !categories.contains(category) { return false }
            if let regionCodes, !regionPath.contains(where: regionCodes.contains) { return false }
            return true
        }
    }

    public var routes: [Route]

    public init(routes: [Route]) { self.routes = routes }

    /// The route for a case of `category` in the region whose ancestry (itself first) is `regionPath`;
    /// when none matches, the township's unit (`unitCode` nil).
    public func route(category: CaseCategory, regionPath: [String]) -> Route {
        routes.first { $0.matches(category: category, regionPath: regionPath) }
            ?? Route(name: "默认：属地乡镇（街道）/ default: the township", unitCode: nil)
    }
}

/// An open case near a new one, of the same category: probably the same problem reported again.
public struct DuplicateSuggestion: Sendable, Hashable {
    public var caseID: String
    public var metres: Double
}

public enum CaseDuplicates {
    /// Within this distance an open case of the same category is suggested as a duplicate.
    public static let radiusMetres = 50.0

    /// Open cases of `category` within `radius` of `point`, nearest first.
    public static func suggestions(
        for point: Coordinate, category: CaseCategory,
        openCases: [(id: String, category: CaseCategory, location: Coordinate)], radius: Double = radiusMetres
    ) -> [DuplicateSuggestion] {
        openCases.filter { $0.category == category }
            .map { DuplicateSuggestion(caseID: $0.id, metres: Distance.metres(point, $0.location)) }
            .filter { $0.metres <= radius }
            .sorted { $0.metres != $1.metres ? $0.metres < $1.metres : $0.caseID < $1.caseID }
    }
}
