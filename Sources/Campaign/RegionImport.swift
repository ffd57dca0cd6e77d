/// A region with what a map needs: its boundary, if it has one, and whether that boundary is demo geometry
/// (drawn by hand for the demo, not surveyed).
public struct MappedRegion: Sendable, Hashable, Codable {
    public var region: Region
    public var boundary: Boundary?
    public var isDemoGeometry: Bool

    public init(region: Region, boundary: Boundary? = nil, isDemoGeometry: Bool = false) {
        self.region = region
        self.boundary = boundary
        self.isDemoGeometry = isDemoGeometry
    }

    public var code: String { region.code }
}

extension RegionLevel {
    /// Depth in the tree: province 0, city 1, county 2, township 3, grid 4. A child is always deeper.
    public var rank: Int {
        switch self {
        case .province: 0
        case .city: 1
        case .county: 2
        case .township: 3
        case .grid: 4
        }
    }

    /// Whether a region of this level may have no parent (the roots of the tree).
    public var mayBeRoot: Bool { self == .province || self == .city }
}

extension Region {
    public static let maximumCodeLength = 64
    public static let maximumNameLength = 100

    /// What is wrong with the region on its own (code, name, the parent being itself); the tree is checked
    /// by `RegionTreeCheck`.
    public var problems: [FieldProblem] {
        var problems: [FieldProblem] = []
        let allowed = code.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
                || "-_.".unicodeScalars.contains($0)
        }
        if code.isEmpty {
            problems.append(FieldProblem(field: "code", message: "区域编码不能为空 / code must not be empty"))
        } else if !allowed || code.count > Self.maximumCodeLength || code == "." || code == ".." {
            problems.append(
                FieldProblem(
                    field: "code",
                    message: "区域编码只能由字母、数字和 - _ . 组成，最长 \(Self.maximumCodeLength) 位"
                        + " / code may hold only letters, digits and - _ ., at most \(Self.maximumCodeLength)"))
        }
        if name.allSatisfy(\.isWhitespace) {
            problems.append(FieldProblem(field: "name", message: "区域名称不能为空 / name must not be empty"))
        } else if name.count > Self.maximumNameLength {
            problems.append(
                FieldProblem(
                    field: "name",
                    message: "区域名称最长 \(Self.maximumNameLength) 字 / name is at most \(Self.maximumNameLength) characters"
                ))
        }
        if let parentCode, parentCode == code {
            problems.append(
                FieldProblem(field: "parentCode", message: "上级区域不能是自身 / a region cannot be its own parent"))
        }
        return problems
    }
}

/// The tree's rules for one region among the others: the parent exists, the region is below its parent,
/// its children stay below it, and it is not its own ancestor.
public enum RegionTreeCheck {
    /// - Parameters:
    ///   - region: the region as it would be written.
    ///   - regions: every region as it would be after the write, by code (the region itself included).
    ///   - checkedChildren: children that are checked on their own (features of the same import), so a
    ///     child too high for its parent is reported once, on the child.
    public static func problems(
        for region: Region, among regions: [String: Region], checkedChildren: Set<String> = []
    ) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if let parentCode = region.parentCode, parentCode != region.code {
            if let parent = regions[parentCode] {
                if parent.level.rank >= region.level.rank {
                    problems.append(
                        FieldProblem(
                            field: "level",
                            message:
                                "级别“\(region.level.displayName)”应低于上级区域 \(parentCode) 的级别“\(parent.level.displayName)”"
                                + " / level \(region.level.rawValue) must be below the parent's level \(parent.level.rawValue)"
                        ))
                }
                if isAncestor(region.code, of: parentCode, in: regions) {
                    problems.append(
                        FieldProblem(
                            field: "parentCode",
                            message: "上级区域 \(parentCode) 是本区域的下级，会形成环 / parent \(parentCode) lies below "
                                + "this region: that would make a cycle"))
                }
            } else {
                problems.append(
                    FieldProblem(
                        field: "parentCode", message: "上级区域 \(parentCode) 不存在 / no region \(parentCode)"))
            }
        } else if region.parentCode == nil, !region.level.mayBeRoot {
            problems.append(
                FieldProblem(
                    field: "parentCode",
                    message: "\(region.level.displayName)级区域必须有上级区域 / a \(region.level.rawValue) needs a parent"))
        }
        let shallowChildren = regions.values.filter {
            $0.parentCode == region.code && $0.code != region.code && $0.level.rank <= region.level.rank
                && !checkedChildren.contains($0.code)
        }
        for child in shallowChildren.sorted(by: { $0.code < $1.code }) {
            problems.append(
                FieldProblem(
                    field: "level",
                    message: "下级区域 \(child.code) 的级别“\(child.level.displayName)”不低于本区域"
                        + " / child \(child.code) (\(child.level.rawValue)) would not be below this region"))
        }
        return problems
    }

    /// Whether `ancestor` lies on the parent chain of `code` (or is `code`).
    static func isAncestor(_ ancestor: String, of code: String, in regions: [String: Region]) -> Bool {
        var current: String? = code
        var seen: Set<String> = []
        while let next = current, seen.insert(next).inserted {
            if next == ancestor { return true }
            current = regions[next]?.parentCode
        }
        return false
    }

    /// Whether `child` lies within `parent`: every position of its exterior rings inside or on the parent.
    /// Boundaries drawn from different sources rarely agree to the metre, so this is a warning, not a rule.
    public static func liesWithin(_ child: Boundary, _ parent: Boundary) -> Bool {
        child.polygons.allSatisfy { polygon in polygon.exterior.allSatisfy { parent.contains($0) } }
    }
}

/// One feature of a GeoJSON FeatureCollection of regions, as read from the file: every property may be
/// missing or of the wrong kind, which is recorded in `readingProblems` so that validation names them all.
public struct RegionFeature: Sendable, Hashable {
    /// Position in the collection's `features`, from 0.
    public var index: Int
    public var code: String?
    public var name: String?
    public var parentCode: String?
    public var level: String?
    public var boundary: Boundary?
    public var isDemoGeometry: Bool
    /// What the reader could not make sense of (wrong JSON types, a geometry that is not a Polygon or
    /// MultiPolygon), Chinese first.
    public var readingProblems: [String]

    public init(
        index: Int, code: String? = nil, name: String? = nil, parentCode: String? = nil, level: String? = nil,
        boundary: Boundary? = nil, isDemoGeometry: Bool = false, readingProblems: [String] = []
    ) {
        self.index = index
        self.code = code
        self.name = name
        self.parentCode = parentCode
        self.level = level
        self.boundary = boundary
        self.isDemoGeometry = isDemoGeometry
        self.readingProblems = readingProblems
    }
}

/// A feature refused by a region import: its position, its code when it has one, and why.
public struct RegionFeatureProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var index: Int
    public var code: String?
    public var message: String

    public init(index: Int, code: String?, message: String) {
        self.index = index
        self.code = code
        self.message = message
    }

    /// `features[3]`, the JSON path of the feature.
    public var field: String { "features[\(index)]" }

    public var description: String {
        let which = code.map { "（\($0)）" } ?? ""
        let whichEnglish = code.map { " (\($0))" } ?? ""
        return "第 \(index + 1) 个要素\(which) feature \(index + 1)\(whichEnglish)：\(message)"
    }
}

/// Checks a whole FeatureCollection of regions against itself and the regions already stored, before
/// anything is written. Every bad feature is named; the good ones are only written when there are none.
public enum RegionImportCheck {
    public struct Outcome: Sendable, Hashable {
        /// The regions to write, parents before children.
        public var regions: [MappedRegion]
        public var problems: [RegionFeatureProblem]
        /// Features accepted with a remark: a boundary not within its parent's.
        public var warnings: [RegionFeatureProblem]
    }

    /// - Parameter existing: the regions already stored, by code (their boundaries for the within-parent
    ///   check). A feature whose code is stored updates that region.
    public static func check(_ features: [RegionFeature], existing: [String: MappedRegion]) -> Outcome {
        var problems: [RegionFeatureProblem] = []
        var firstIndex: [String: Int] = [:]
        var candidates: [(feature: RegionFeature, region: MappedRegion)] = []
        for feature in features {
            var messages = feature.readingProblems
            let level = feature.level.flatMap(RegionLevel.init(rawValue:))
            if feature.code == nil { messages.append("缺少编码 code / property code is missing") }
            if feature.name == nil { messages.append("缺少名称 name / property name is missing") }
            if let text = feature.level, level == nil {
                let choices = RegionLevel.allCases.map(\.rawValue).joined(separator: ", ")
                messages.append("级别“\(text)”无效，应为 \(choices) / level must be one of \(choices)")
            } else if feature.level == nil {
                messages.append("缺少级别 level / property level is missing")
            }
            if feature.boundary == nil, feature.readingProblems.isEmpty {
                messages.append("缺少边界 geometry / geometry is missing")
            }
            let region = Region(
                code: feature.code ?? "", name: feature.name ?? "", level: level ?? .grid,
                parentCode: feature.parentCode)
            if feature.code != nil || feature.name != nil {
                messages += region.problems.filter { problem in
                    (problem.field != "code" || feature.code != nil) && (problem.field != "name" || feature.name != nil)
                }.map(\.message)
            }
            if let boundary = feature.boundary {
                messages += boundary.problems.map { "边界 geometry: \($0)" }
            }
            if let code = feature.code {
                if let first = firstIndex[code] {
                    messages.append(
                        "编码 \(code) 与第 \(first + 1) 个要素重复 / code \(code) repeats feature \(first + 1)")
                } else {
                    firstIndex[code] = feature.index
                }
            }
            if messages.isEmpty {
                candidates.append(
                    (
                        feature,
                        MappedRegion(region: region, boundary: feature.boundary, isDemoGeometry: feature.isDemoGeometry)
                    ))
            } else {
                problems += messages.map { RegionFeatureProblem(index: feature.index, code: feature.code, message: $0) }
            }
        }
        // The tree after the import: stored regions overlaid with every feature that names a code, good or
        // bad, so a child of a rejected feature is not reported as an orphan too.
        var tree = existing.mapValues(\.region)
        for feature in features {
            guard let code = feature.code, let level = feature.level.flatMap(RegionLevel.init(rawValue:)) else {
                continue
            }
            tree[code] = Region(code: code, name: feature.name ?? "", level: level, parentCode: feature.parentCode)
        }
        var boundaries = existing.compactMapValues(\.boundary)
        for (_, candidate) in candidates { boundaries[candidate.code] = candidate.boundary }
        var accepted: [MappedRegion] = []
        var warnings: [RegionFeatureProblem] = []
        for (feature, candidate) in candidates {
            let treeProblems = RegionTreeCheck.problems(
                for: candidate.region, among: tree, checkedChildren: Set(firstIndex.keys))
            if !treeProblems.isEmpty {
                problems += treeProblems.map {
                    RegionFeatureProblem(index: feature.index, code: feature.code, message: $0.message)
                }
                continue
            }
            accepted.append(candidate)
            if let parentCode = candidate.region.parentCode, let parent = boundaries[parentCode],
                let boundary = candidate.boundary, !RegionTreeCheck.liesWithin(boundary, parent)
            {
                warnings.append(
                    RegionFeatureProblem(
                        index: feature.index, code: feature.code,
                        message: "边界有部分在上级区域 \(parentCode) 之外（已导入）/ boundary extends beyond the parent "
                            + "\(parentCode) (imported)"))
            }
        }
        problems.sort { ($0.index, $0.message) < ($1.index, $1.message) }
        let ordered = accepted.sorted { ($0.region.level.rank, $0.code) < ($1.region.level.rank, $1.code) }
        return Outcome(regions: problems.isEmpty ? ordered : [], problems: problems, warnings: warnings)
    }
}
