/// An administrative area in the campaign's tree: city → county/district → township/street → grid.
///
/// Codes are the national administrative division codes (国家统计局行政区划代码) where they exist;
/// grids below the township level use the codes the campaign gives them.
public struct Region: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var level: RegionLevel
    /// The code of the enclosing region; `nil` for the root of the tree.
    public var parentCode: String?

    public init(code: String, name: String, level: RegionLevel, parentCode: String? = nil) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
    }
}

public enum RegionLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case province
    case city
    case county
    case township
    case grid

    /// The Chinese name shown to users.
    public var displayName: String {
        switch self {
        case .province: "省"
        case .city: "市"
        case .county: "县（区）"
        case .township: "乡镇（街道）"
        case .grid: "网格"
        }
    }
}
