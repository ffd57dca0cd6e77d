/// One thing wrong with a value a user entered: the field at fault (as the API spells it, e.g.
/// `hj212.mn`, `pollutants[2].unit`) and a message saying what is expected, Chinese first.
public struct FieldProblem: Sendable, Hashable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

extension Station {
    /// Longest station code, name, MN and password accepted.
    public static let maximumCodeLength = 64
    public static let maximumNameLength = 100
    public static let maximumDeviceFieldLength = 64

    /// Every problem that keeps this station out of the registry, in field order; empty when it is fine.
    ///
    /// - Parameter pollutantProblem: what is wrong with one reported pollutant (unknown code, unit not
    ///   convertible to the code's unit), or nil when it is fine. The pollutant catalogue lives in `Ingest`,
    ///   which this pure room does not know, so the caller passes the check in.
    public func problems(pollutantProblem: (ReportedPollutant, _ station: Station) -> String? = { _, _ in nil })
        -> [FieldProblem]
    {
        var problems: [FieldProblem] = []
        problems += Self.codeProblems(code)
        if name.allSatisfy(\.isWhitespace) {
            problems.append(FieldProblem(field: "name", message: "站点名称不能为空 / name must not be empty"))
        } else if name.count > Self.maximumNameLength {
            problems.append(
                FieldProblem(
                    field: "name",
                    message: "站点名称不能超过 \(Self.maximumNameLength) 个字 / name longer than \(Self.maximumNameLength)"))
        }
        if !(coordinate.longitude.isFinite && (-180...180).contains(coordinate.longitude)) {
            problems.append(
                FieldProblem(
                    field: "longitude", message: "经度应在 -180 到 180 之间 / longitude must be between -180 and 180"))
        }
        if !(coordinate.latitude.isFinite && (-90...90).contains(coordinate.latitude)) {
            problems.append(
                FieldProblem(field: "latitude", message: "纬度应在 -90 到 90 之间 / latitude must be between -90 and 90"))
        }
        if let hj212 { problems += hj212.problems() }
        var seen: Set<String> = []
        for (index, pollutant) in pollutants.enumerated() {
            let field = "pollutants[\(index)]"
            if pollutant.code.isEmpty {
                problems.append(
                    FieldProblem(field: field + ".code", message: "监测项目编码不能为空 / pollutant code must not be empty"))
                continue
            }
            if !seen.insert(pollutant.code).inserted {
                problems.append(
                    FieldProblem(
                        field: field + ".code",
                        message: "监测项目 \(pollutant.code) 重复登记 / pollutant \(pollutant.code) listed twice"))
                continue
            }
            if let message = pollutantProblem(pollutant, self) {
                problems.append(FieldProblem(field: field, message: message))
            }
        }
        return problems
    }

    /// Codes appear in URLs (`/api/v1/stations/1001A`) and files, so they are plain: letters, digits, `-_.`.
    static func codeProblems(_ code: String) -> [FieldProblem] {
        if code.isEmpty {
            return [FieldProblem(field: "code", message: "站点编码不能为空 / code must not be empty")]
        }
        let allowed = code.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
                || "-_.".unicodeScalars
                    .contains($0)
        }
        if !allowed || code.count > maximumCodeLength || code == "." || code == ".." {
            return [
                FieldProblem(
                    field: "code",
                    message: "站点编码只能由字母、数字和 - _ . 组成，最长 \(maximumCodeLength) 位"
                        + " / code may hold only letters, digits and - _ ., at most \(maximumCodeLength)")
            ]
        }
        return []
    }
}

extension HJ212Identity {
    /// What is wrong with the identity, fields named `hj212.*`.
    ///
    /// HJ 212-2017 Table 3 gives MN as 24 characters and PW as 6, but real loggers send MNs of 7–24+
    /// characters and 24-hex passwords (STANDARDS §4.13), so both accept 1–64 printable ASCII characters,
    /// except the separators of the data segment (`;` `,` `&` `=`), which would break the packet.
    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if let message = Self.deviceFieldProblem(mn, chinese: "设备唯一标识 MN", english: "MN") {
            problems.append(FieldProblem(field: "hj212.mn", message: message))
        }
        if let message = Self.deviceFieldProblem(password, chinese: "访问密码 PW", english: "password") {
            problems.append(FieldProblem(field: "hj212.password", message: message))
        }
        if protocols.isEmpty {
            problems.append(
                FieldProblem(
                    field: "hj212.protocols",
                    message: "至少选择一个协议版本（2005、2017、2025） / at least one protocol edition (2005, 2017, 2025)"))
        }
        return problems
    }

    /// Whether `text` can be sent as an HJ 212 field value (see `problems()`).
    public static func isValidDeviceField(_ text: String) -> Bool {
        deviceFieldProblem(text, chinese: "", english: "") == nil
    }

    static func deviceFieldProblem(_ text: String, chinese: String, english: String) -> String? {
        if text.isEmpty { return "\(chinese)不能为空 / \(english) must not be empty" }
        let limit = Station.maximumDeviceFieldLength
        let printable = text.unicodeScalars.allSatisfy {
            (0x21...0x7E).contains($0.value) && !";,&=".unicodeScalars.contains($0)
        }
        if !printable || text.unicodeScalars.count > limit {
            return "\(chinese)应为 1–\(limit) 个可打印 ASCII 字符，不含空格和 ; , & ="
                + " / \(english) must be 1–\(limit) printable ASCII characters without spaces or ; , & ="
        }
        return nil
    }
}
