import Campaign
import Ingest
import Vapor

extension StationController {
    /// A station as the API shows it. The device password is never in it: only whether one is set.
    struct StationResponse: Content {
        struct HJ212: Content {
            var mn: String
            var protocols: [String]
            var crcPolicy: String
            var tolerant: Bool
            var passwordSet: Bool
        }

        struct Pollutant: Content {
            var code: String
            var unit: String
            var name: String
        }

        var code: String
        var name: String
        var kind: String
        var kindName: String
        var longitude: Double
        var latitude: Double
        var regionCode: String?
        var responsibleUnitCode: String?
        var status: String
        var statusName: String
        var hj212: HJ212?
        var pollutants: [Pollutant]

        init(_ station: Station) {
            code = station.code
            name = station.name
            kind = station.kind.rawValue
            kindName = station.kind.displayName
            longitude = station.coordinate.longitude
            latitude = station.coordinate.latitude
            regionCode = station.regionCode
            responsibleUnitCode = station.responsibleUnitCode
            status = station.status.rawValue
            statusName = station.status.displayName
            hj212 = station.hj212.map {
                HJ212(
                    mn: $0.mn, protocols: $0.protocols.sorted().map(\.rawValue), crcPolicy: $0.crcPolicy.rawValue,
                    tolerant: $0.tolerant, passwordSet: !$0.password.isEmpty)
            }
            pollutants = station.pollutants.map {
                Pollutant(code: $0.code, unit: $0.unit, name: PollutantCatalog.info($0.code)?.name ?? "")
            }
        }
    }
}

/// A field of a JSON body: left out, given as `null`, or given.
enum Presence<Value: Sendable>: Sendable {
    case absent
    case null
    case value(Value)

    var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

/// The body of `POST` and `PATCH /api/v1/stations`. Decoding never fails on a field: a value of the wrong
/// type becomes a problem, so one answer can name every bad field.
struct StationBody: Decodable, Sendable {
    var code: Presence<String> = .absent
    var name: Presence<String> = .absent
    var kind: Presence<String> = .absent
    var longitude: Presence<Double> = .absent
    var latitude: Presence<Double> = .absent
    var regionCode: Presence<String> = .absent
    var responsibleUnitCode: Presence<String> = .absent
    var status: Presence<String> = .absent
    var hj212: Presence<HJ212Body> = .absent
    var pollutants: Presence<[PollutantBody]> = .absent
    /// Fields whose value had the wrong JSON type.
    var problems: [FieldProblem] = []

    struct HJ212Body: Decodable, Sendable {
        var mn: Presence<String> = .absent
        var password: Presence<String> = .absent
        var protocols: Presence<[String]> = .absent
        var crcPolicy: Presence<String> = .absent
        var tolerant: Presence<Bool> = .absent
        var problems: [FieldProblem] = []

        enum CodingKeys: String, CodingKey {
            case mn, password, protocols, crcPolicy, tolerant
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            mn = container.presence(forKey: .mn, field: "hj212.mn", expected: Expected.text, problems: &problems)
            password = container.presence(
                forKey: .password, field: "hj212.password", expected: Expected.text, problems: &problems)
            if let numbers = try? container.decode([Int].self, forKey: .protocols) {
                protocols = .value(numbers.map(String.init))
            } else {
                protocols = container.presence(
                    forKey: .protocols, field: "hj212.protocols", expected: Expected.editions, problems: &problems)
            }
            crcPolicy = container.presence(
                forKey: .crcPolicy, field: "hj212.crcPolicy", expected: Expected.text, problems: &problems)
            tolerant = container.presence(
                forKey: .tolerant, field: "hj212.tolerant", expected: Expected.boolean, problems: &problems)
        }
    }

    struct PollutantBody: Decodable, Sendable {
        var code: String?
        var unit: String?
    }

    enum CodingKeys: String, CodingKey {
        case code, name, kind, longitude, latitude, regionCode, responsibleUnitCode, status, hj212, pollutants
    }

    enum Expected {
        static let text = "应为字符串 / must be a string"
        static let number = "应为数字 / must be a number"
        static let boolean = "应为 true 或 false / must be true or false"
        static let editions = "应为协议版本列表，如 [\"2017\"] / must be a list of editions such as [\"2017\"]"
        static let object = "应为对象 / must be an object"
        static let pollutants = "应为 [{\"code\",\"unit\"}] 列表 / must be a list of {\"code\", \"unit\"}"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = container.presence(forKey: .code, field: "code", expected: Expected.text, problems: &problems)
        name = container.presence(forKey: .name, field: "name", expected: Expected.text, problems: &problems)
        kind = container.presence(forKey: .kind, field: "kind", expected: Expected.text, problems: &problems)
        longitude = container.presence(
            forKey: .longitude, field: "longitude", expected: Expected.number, problems: &problems)
        latitude = container.presence(
            forKey: .latitude, field: "latitude", expected: Expected.number, problems: &problems)
        regionCode = container.presence(
            forKey: .regionCode, field: "regionCode", expected: Expected.text, problems: &problems)
        responsibleUnitCode = container.presence(
            forKey: .responsibleUnitCode, field: "responsibleUnitCode", expected: Expected.text, problems: &problems)
        status = container.presence(forKey: .status, field: "status", expected: Expected.text, problems: &problems)
        hj212 = container.presence(forKey: .hj212, field: "hj212", expected: Expected.object, problems: &problems)
        problems += hj212.value?.problems ?? []
        pollutants = container.presence(
            forKey: .pollutants, field: "pollutants", expected: Expected.pollutants, problems: &problems)
    }
}

extension KeyedDecodingContainer {
    fileprivate func presence<Value: Decodable & Sendable>(
        forKey key: Key, field: String, expected: String, problems: inout [FieldProblem]
    ) -> Presence<Value> {
        guard contains(key) else { return .absent }
        if (try? decodeNil(forKey: key)) == true { return .null }
        do {
            return .value(try decode(Value.self, forKey: key))
        } catch {
            problems.append(FieldProblem(field: field, message: expected))
            return .absent
        }
    }
}

extension StationBody {
    /// The station a `POST` describes, and every problem with the body's fields. Missing fields get
    /// placeholders here; their problems are the body's, so the caller keeps one problem per field.
    func newStation() -> (Station, [FieldProblem]) {
        var problems = self.problems
        func required<Value>(_ presence: Presence<Value>, _ field: String, _ chinese: String, placeholder: Value)
            -> Value
        {
            if let value = presence.value { return value }
            if !problems.contains(where: { $0.field == field }) {
                problems.append(FieldProblem(field: field, message: "\(chinese)必填 / \(field) is required"))
            }
            return placeholder
        }
        let code = required(code, "code", "站点编码", placeholder: "")
        let name = required(name, "name", "站点名称", placeholder: "")
        let kindText = required(kind, "kind", "站点类型", placeholder: StationKind.micro.rawValue)
        let longitude = required(longitude, "longitude", "经度", placeholder: 0)
        let latitude = required(latitude, "latitude", "纬度", placeholder: 0)
        var station = Station(
            code: code, name: name, kind: Self.kind(kindText, problems: &problems),
            coordinate: Coordinate(longitude: longitude, latitude: latitude),
            regionCode: regionCode.value.flatMap(Self.nonEmpty),
            responsibleUnitCode: responsibleUnitCode.value.flatMap(Self.nonEmpty),
            status: status.value.map { Self.status($0, problems: &problems) } ?? .active)
        if let hj212 = hj212.value {
            if hj212.mn.value == nil, !problems.contains(where: { $0.field == "hj212.mn" }) {
                problems.append(FieldProblem(field: "hj212.mn", message: "设备唯一标识 MN 必填 / hj212.mn is required"))
            }
            if hj212.password.value == nil, !problems.contains(where: { $0.field == "hj212.password" }) {
                problems.append(
                    FieldProblem(field: "hj212.password", message: "访问密码必填 / hj212.password is required"))
            }
            station.hj212 = hj212.patch(problems: &problems).applied(to: nil)
        }
        station.pollutants = Self.pollutants(pollutants.value ?? [], problems: &problems)
        return (station, problems)
    }

    /// The change a `PATCH` of station `code` describes, and every problem with the body's fields.
    func patch(code: String) -> (StationPatch, [FieldProblem]) {
        var problems = self.problems
        var patch = StationPatch()
        func notNull<Value>(_ presence: Presence<Value>, _ field: String, _ chinese: String) -> Value? {
            if case .null = presence {
                problems.append(FieldProblem(field: field, message: "\(chinese)不能为空 / \(field) cannot be null"))
            }
            return presence.value
        }
        if let given = notNull(self.code, "code", "站点编码"), given != code {
            problems.append(
                FieldProblem(field: "code", message: "站点编码不能修改 / the code of a station cannot be changed"))
        }
        patch.name = notNull(name, "name", "站点名称")
        patch.kind = notNull(kind, "kind", "站点类型").map { Self.kind($0, problems: &problems) }
        patch.longitude = notNull(longitude, "longitude", "经度")
        patch.latitude = notNull(latitude, "latitude", "纬度")
        patch.status = notNull(status, "status", "运行状态").map { Self.status($0, problems: &problems) }
        patch.regionCode = Self.clearable(regionCode)
        patch.responsibleUnitCode = Self.clearable(responsibleUnitCode)
        switch hj212 {
        case .absent: break
        case .null: patch.hj212 = .some(nil)
        case .value(let body): patch.hj212 = .some(body.patch(problems: &problems))
        }
        if let list = notNull(pollutants, "pollutants", "监测项目") {
            patch.pollutants = Self.pollutants(list, problems: &problems)
        }
        return (patch, problems)
    }

    private static func clearable(_ presence: Presence<String>) -> String?? {
        switch presence {
        case .absent: nil
        case .null: .some(nil)
        case .value(let text): .some(nonEmpty(text))
        }
    }

    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    private static func kind(_ text: String, problems: inout [FieldProblem]) -> StationKind {
        if let kind = StationKind(rawValue: text) { return kind }
        let choices = StationKind.allCases.map { "\($0.rawValue)（\($0.displayName)）" }.joined(separator: "、")
        problems.append(
            FieldProblem(
                field: "kind",
                message: "站点类型“\(text)”无效，应为 \(choices) / kind must be one of "
                    + StationKind.allCases.map(\.rawValue).joined(separator: ", ")))
        return .micro
    }

    private static func status(_ text: String, problems: inout [FieldProblem]) -> StationStatus {
        if let status = StationStatus(rawValue: text) { return status }
        let choices = StationStatus.allCases.map { "\($0.rawValue)（\($0.displayName)）" }.joined(separator: "、")
        problems.append(
            FieldProblem(
                field: "status",
                message: "运行状态“\(text)”无效，应为 \(choices) / status must be one of "
                    + StationStatus.allCases.map(\.rawValue).joined(separator: ", ")))
        return .active
    }

    private static func pollutants(_ list: [PollutantBody], problems: inout [FieldProblem]) -> [ReportedPollutant] {
        list.enumerated().map { index, item in
            for (value, key, chinese) in [(item.code, "code", "监测项目编码"), (item.unit, "unit", "单位")] where value == nil {
                problems.append(
                    FieldProblem(
                        field: "pollutants[\(index)].\(key)",
                        message: "\(chinese)必填 / pollutants[\(index)].\(key) is required"))
            }
            return ReportedPollutant(code: item.code ?? "", unit: item.unit ?? "")
        }
    }
}

extension StationBody.HJ212Body {
    /// The change to an identity; nulls and unknown editions or CRC policies become problems.
    func patch(problems: inout [FieldProblem]) -> HJ212IdentityPatch {
        var patch = HJ212IdentityPatch()
        for (presence, field) in [(mn, "hj212.mn"), (password, "hj212.password"), (crcPolicy, "hj212.crcPolicy")] {
            if case .null = presence {
                problems.append(FieldProblem(field: field, message: "不能为空 / \(field) cannot be null"))
            }
        }
        patch.mn = mn.value
        patch.password = password.value
        if let texts = protocols.value {
            let editions = texts.compactMap(HJ212ProtocolEdition.init(rawValue:))
            if editions.count != texts.count {
                problems.append(
                    FieldProblem(
                        field: "hj212.protocols",
                        message: "协议版本应为 2005、2017、2025 / protocol editions are 2005, 2017 and 2025"))
            }
            patch.protocols = Set(editions)
        }
        if let text = crcPolicy.value {
            if let policy = HJ212CRCPolicy(rawValue: text) {
                patch.crcPolicy = policy
            } else {
                problems.append(
                    FieldProblem(
                        field: "hj212.crcPolicy",
                        message: "校验方式（CRC）应为 standard、modbus 或 either / crcPolicy must be standard, modbus or either"))
            }
        }
        patch.tolerant = tolerant.value
        return patch
    }
}
