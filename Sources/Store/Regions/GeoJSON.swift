import Campaign
import Foundation

/// GeoJSON (RFC 7946) for regions: boundaries to and from geometry objects, and a FeatureCollection of
/// regions read into `RegionFeature`s. Campaign stays free of Foundation, so the JSON lives here.
public enum GeoJSON {
    // MARK: Writing

    /// A Polygon for one polygon, a MultiPolygon for more.
    public static func geometry(_ boundary: Boundary) -> JSONValue {
        func ring(_ positions: [Coordinate]) -> JSONValue {
            .array(positions.map { .array([.number($0.longitude), .number($0.latitude)]) })
        }
        func polygon(_ polygon: Polygon) -> JSONValue { .array(polygon.rings.map(ring)) }
        if boundary.polygons.count == 1 {
            return .object(["type": .string("Polygon"), "coordinates": polygon(boundary.polygons[0])])
        }
        return .object(["type": .string("MultiPolygon"), "coordinates": .array(boundary.polygons.map(polygon))])
    }

    /// The geometry as compact JSON text, as the `regions.boundary` column holds it.
    public static func geometryText(_ boundary: Boundary) -> String {
        geometry(boundary).text
    }

    // MARK: Reading

    /// The boundary a stored geometry text describes (nil when the column is empty or unreadable).
    public static func boundary(text: String) -> Boundary? {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return nil }
        return try? boundary(geometry: value).get()
    }

    /// Reads a Polygon or MultiPolygon geometry object; the failure says why, Chinese first. Positions may
    /// carry an altitude, which is ignored.
    public static func boundary(geometry: JSONValue) -> Result<Boundary, GeoJSONProblem> {
        guard case .object(let object) = geometry else {
            return .failure(GeoJSONProblem("geometry 应为对象 / geometry must be an object"))
        }
        let type = object["type"]?.string
        guard type == "Polygon" || type == "MultiPolygon" else {
            return .failure(
                GeoJSONProblem(
                    "geometry 类型应为 Polygon 或 MultiPolygon，而非 \(type ?? "（无）") / geometry type must be "
                        + "Polygon or MultiPolygon, not \(type ?? "none")"))
        }
        guard let coordinates = object["coordinates"]?.array else {
            return .failure(GeoJSONProblem("geometry 缺少 coordinates 数组 / geometry needs a coordinates array"))
        }
        let polygons = type == "Polygon" ? [JSONValue.array(coordinates)] : coordinates
        var result: [Polygon] = []
        for polygon in polygons {
            guard let rings = polygon.array else { return .failure(.badCoordinates) }
            var parsed: [[Coordinate]] = []
            for ring in rings {
                guard let positions = ring.array else { return .failure(.badCoordinates) }
                var ringCoordinates: [Coordinate] = []
                ringCoordinates.reserveCapacity(positions.count)
                for position in positions {
                    guard let numbers = position.array, numbers.count >= 2, let longitude = numbers[0].number,
                        let latitude = numbers[1].number
                    else { return .failure(.badCoordinates) }
                    ringCoordinates.append(Coordinate(longitude: longitude, latitude: latitude))
                }
                parsed.append(ringCoordinates)
            }
            result.append(Polygon(rings: parsed))
        }
        return .success(Boundary(polygons: result))
    }

    /// Reads a FeatureCollection of regions: properties `code`, `name`, `parent`, `level` and optional
    /// `demo` (true for demo geometry); the geometry a Polygon or MultiPolygon. Codes given as numbers
    /// (as many administrative-division files have them) are read as their digits.
    public static func regionFeatures(_ data: Data) throws(RegionImportError) -> [RegionFeature] {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .notFeatureCollection("不是有效的 JSON / not valid JSON")
        }
        guard case .object(let object) = root, object["type"]?.string == "FeatureCollection",
            let features = object["features"]?.array
        else {
            throw .notFeatureCollection(
                "应为 GeoJSON FeatureCollection（type 与 features）/ expected a GeoJSON FeatureCollection with features")
        }
        return features.enumerated().map { index, element in feature(index: index, element) }
    }

    static func feature(index: Int, _ element: JSONValue) -> RegionFeature {
        var feature = RegionFeature(index: index)
        guard case .object(let object) = element, object["type"]?.string == "Feature" else {
            feature.readingProblems.append("应为 type 为 Feature 的对象 / must be an object of type Feature")
            return feature
        }
        var properties: [String: JSONValue] = [:]
        if case .object(let given) = object["properties"] { properties = given }
        func text(_ key: String, numbersAllowed: Bool) -> String? {
            switch properties[key] {
            case nil, .null: return nil
            case .string(let string): return string
            case .number(let number) where numbersAllowed && number == number.rounded() && abs(number) < 1e15:
                return String(Int64(number))
            default:
                feature.readingProblems.append("属性 \(key) 应为字符串 / property \(key) must be a string")
                return nil
            }
        }
        feature.code = text("code", numbersAllowed: true)
        feature.name = text("name", numbersAllowed: false)
        feature.parentCode = text("parent", numbersAllowed: true).flatMap { $0.isEmpty ? nil : $0 }
        feature.level = text("level", numbersAllowed: false)
        switch properties["demo"] {
        case nil, .null: break
        case .bool(let flag): feature.isDemoGeometry = flag
        default: feature.readingProblems.append("属性 demo 应为 true 或 false / property demo must be true or false")
        }
        switch object["geometry"] {
        case nil, .null:
            feature.readingProblems.append("缺少边界 geometry / geometry is missing")
        case .some(let geometry):
            switch boundary(geometry: geometry) {
            case .success(let boundary): feature.boundary = boundary
            case .failure(let problem): feature.readingProblems.append(problem.message)
            }
        }
        return feature
    }
}

/// Why a geometry could not be read.
public struct GeoJSONProblem: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) { self.message = message }

    static let badCoordinates = GeoJSONProblem(
        "coordinates 应为 [经度, 纬度] 数值组成的环 / coordinates must be rings of [longitude, latitude] numbers")
}

/// Any JSON value, decoded strictly (a boolean is never a number), for reading GeoJSON whose shape is
/// checked by hand so that every problem can be named.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let string): try container.encode(string)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }

    public var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    public var number: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// Compact JSON text, keys sorted.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
