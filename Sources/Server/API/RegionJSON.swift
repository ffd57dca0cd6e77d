import Campaign
import Store
import Vapor

/// A region as the API shows it. `demo` is true when its boundary is demo geometry (drawn for the demo,
/// not surveyed); `boundary` (GeoJSON geometry) only on `GET /regions/{code}`; `children` only in a tree.
struct RegionResponse: Content {
    var code: String
    var name: String
    var level: String
    var levelName: String
    var parentCode: String?
    var demo: Bool
    var hasBoundary: Bool
    /// `[minLongitude, minLatitude, maxLongitude, maxLatitude]` (the GeoJSON `bbox` order).
    var bbox: [Double]?
    var boundary: Store.JSONValue?
    var children: [RegionResponse]?

    init(_ mapped: MappedRegion, boundary withBoundary: Bool = false) {
        code = mapped.code
        name = mapped.region.name
        level = mapped.region.level.rawValue
        levelName = mapped.region.level.displayName
        parentCode = mapped.region.parentCode
        demo = mapped.isDemoGeometry
        hasBoundary = mapped.boundary != nil
        bbox = mapped.boundary?.boundingBox.map { [$0.minLongitude, $0.minLatitude, $0.maxLongitude, $0.maxLatitude] }
        boundary = withBoundary ? mapped.boundary.map(GeoJSON.geometry) : nil
    }

    /// The regions as a forest: each root with its descendants nested (a region whose parent is not in
    /// `regions` is a root here).
    static func tree(_ regions: [MappedRegion]) -> [RegionResponse] {
        let codes = Set(regions.map(\.code))
        let children = Dictionary(grouping: regions.filter { $0.region.parentCode.map(codes.contains) == true }) {
            $0.region.parentCode!
        }
        func node(_ region: MappedRegion, depth: Int) -> RegionResponse {
            var response = RegionResponse(region)
            // The tree check keeps the tree acyclic; the depth bound guards against a hand-edited database.
            response.children =
                depth > 16 ? [] : (children[region.code] ?? []).map { node($0, depth: depth + 1) }
            return response
        }
        return regions.filter { $0.region.parentCode.map(codes.contains) != true }.map { node($0, depth: 0) }
    }
}

/// The body of `POST` and `PATCH /api/v1/regions`. A value of the wrong JSON type becomes a problem, so one
/// answer names every bad field.
struct RegionBody: Decodable, Sendable {
    var code: Presence<String> = .absent
    var name: Presence<String> = .absent
    var level: Presence<String> = .absent
    var parentCode: Presence<String> = .absent
    var boundary: Presence<Store.JSONValue> = .absent
    var demo: Presence<Bool> = .absent
    var problems: [FieldProblem] = []

    enum CodingKeys: String, CodingKey {
        case code, name, level, parentCode, boundary, demo
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func read<Value: Decodable & Sendable>(_ key: CodingKeys, _ expected: String) -> Presence<Value> {
            guard container.contains(key) else { return .absent }
            if (try? container.decodeNil(forKey: key)) == true { return .null }
            do {
                return .value(try container.decode(Value.self, forKey: key))
            } catch {
                problems.append(FieldProblem(field: key.rawValue, message: expected))
                return .absent
            }
        }
        let text = "应为字符串 / must be a string"
        code = read(.code, text)
        name = read(.name, text)
        level = read(.level, text)
        parentCode = read(.parentCode, text)
        boundary = read(.boundary, "应为 GeoJSON Polygon 或 MultiPolygon / must be a GeoJSON Polygon or MultiPolygon")
        demo = read(.demo, "应为 true 或 false / must be true or false")
    }

    /// The region a `POST` describes and every problem with the body.
    func newRegion() -> (MappedRegion, [FieldProblem]) {
        var problems = self.problems
        for (presence, field, chinese) in [(code, "code", "区域编码"), (name, "name", "区域名称"), (level, "level", "级别")]
        where presence.value == nil && !problems.contains(where: { $0.field == field }) {
            problems.append(FieldProblem(field: field, message: "\(chinese)必填 / \(field) is required"))
        }
        let region = Region(
            code: code.value ?? "", name: name.value ?? "",
            level: level.value.map { Self.level($0, problems: &problems) } ?? .grid,
            parentCode: parentCode.value.flatMap { $0.isEmpty ? nil : $0 })
        let boundary = self.boundary.value.flatMap { Self.boundary($0, problems: &problems) }
        return (MappedRegion(region: region, boundary: boundary, isDemoGeometry: demo.value ?? false), problems)
    }

    /// The change a `PATCH` of region `code` describes and every problem with the body.
    func patch(code: String) -> (RegionPatch, [FieldProblem]) {
        var problems = self.problems
        var patch = RegionPatch()
        for (presence, field, chinese) in [(name, "name", "区域名称"), (level, "level", "级别"), (self.code, "code", "区域编码")]
        {
            if case .null = presence {
                problems.append(FieldProblem(field: field, message: "\(chinese)不能为空 / \(field) cannot be null"))
            }
        }
        if case .null = demo {
            problems.append(FieldProblem(field: "demo", message: "不能为空 / demo cannot be null"))
        }
        if let given = self.code.value, given != code {
            problems.append(FieldProblem(field: "code", message: "区域编码不能修改 / the code of a region cannot be changed"))
        }
        patch.name = name.value
        patch.level = level.value.map { Self.level($0, problems: &problems) }
        switch parentCode {
        case .absent: break
        case .null: patch.parentCode = .some(nil)
        case .value(let text): patch.parentCode = .some(text.isEmpty ? nil : text)
        }
        switch boundary {
        case .absent: break
        case .null: patch.boundary = .some(nil)
        case .value(let geometry): patch.boundary = .some(Self.boundary(geometry, problems: &problems))
        }
        patch.isDemoGeometry = demo.value
        return (patch, problems)
    }

    static func level(_ text: String, problems: inout [FieldProblem]) -> RegionLevel {
        if let level = RegionLevel(rawValue: text) { return level }
        let choices = RegionLevel.allCases.map { "\($0.rawValue)（\($0.displayName)）" }.joined(separator: "、")
        problems.append(
            FieldProblem(
                field: "level",
                message: "级别“\(text)”无效，应为 \(choices) / level must be one of "
                    + RegionLevel.allCases.map(\.rawValue).joined(separator: ", ")))
        return .grid
    }

    static func boundary(_ geometry: Store.JSONValue, problems: inout [FieldProblem]) -> Boundary? {
        switch GeoJSON.boundary(geometry: geometry) {
        case .success(let boundary): return boundary
        case .failure(let problem):
            problems.append(FieldProblem(field: "boundary", message: problem.message))
            return nil
        }
    }
}
