/// One `name=value` item of the CP data area. `code` is the part of the name before the last `-`
/// (a pollutant, device `SBx` or vendor code), `key` the part after it (`Rtd`, `Avg`, `Flag`…).
/// Names without `-` (`DataTime`, `QnRtn`, `BeginTime`…) have no code.
public struct CPField: Sendable, Hashable, CustomStringConvertible {
    public var code: String?
    public var key: String
    public var value: String

    public init(code: String? = nil, key: String, value: String) {
        self.code = code
        self.key = key
        self.value = value
    }

    /// `code-key`, or `key` alone.
    public var name: String { code.map { "\($0)-\(key)" } ?? key }
    public var description: String { "\(name)=\(value)" }
}

/// The CP data area (`CP=&&…&&`), kept as its raw bytes plus an index of its items, so parsing
/// allocates no strings; `fields`, `readings` and the accessors build them on demand.
///
/// Syntax (HJ 212-2017 §6.3.3): `=` joins a name and its value, `,` separates values of the same
/// item, `;` separates items. Real devices mix the two, so both are accepted anywhere and lookups
/// go by name; the separators are kept so the encoder reproduces the text exactly.
public struct CPData: Sendable, Hashable, CustomStringConvertible {
    /// The raw content between `CP=&&` and the closing `&&`.
    public let bytes: [UInt8]
    @usableFromInline let spans: [Span]

    @usableFromInline
    struct Span: Sendable, Hashable {
        /// The separator before this item: 0 for the first, `;` or `,`.
        var separator: UInt8
        var nameStart: Int32
        var nameEnd: Int32
        /// Index of the last `-` in the name, or -1.
        var dash: Int32
        /// -1 when the item has no `=`.
        var valueStart: Int32
        var valueEnd: Int32
    }

    /// An empty CP (`CP=&&&&`).
    public static let empty = CPData(bytes: [], spans: [])

    init(bytes: [UInt8], spans: [Span]) {
        self.bytes = bytes
        self.spans = spans
    }

    /// Parses CP content leniently (the text between the `&&`s). Syntax slips are tolerated here;
    /// ``HJ212Parser`` applies the policy to them when it parses a whole packet.
    public init(text: String) {
        self = CPData.parse(Array(text.utf8)).data
    }

    /// Builds a CP from items; the inner arrays are joined with `,`, the groups with `;`.
    /// Throws when a name or value contains a character the syntax reserves.
    public init(groups: [[CPField]]) throws(HJ212Error) {
        var text: [UInt8] = []
        for (groupIndex, group) in groups.enumerated() {
            for (fieldIndex, field) in group.enumerated() {
                try CPData.checkName(field.code, field.key)
                try CPData.checkValue(field)
                if groupIndex > 0 || fieldIndex > 0 { text.append(fieldIndex == 0 ? 0x3B : 0x2C) }
                text.append(contentsOf: field.name.utf8)
                text.append(0x3D)
                text.append(contentsOf: field.value.utf8)
            }
        }
        self = CPData.parse(text).data
    }

    /// Builds a CP with each field as its own `;`-separated item.
    public init(fields: [CPField]) throws(HJ212Error) {
        try self.init(groups: fields.map { [$0] })
    }

    public var isEmpty: Bool { spans.isEmpty }
    public var count: Int { spans.count }
    /// The raw content as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public var description: String { text }

    /// All items in order.
    public var fields: [CPField] { spans.map(field(for:)) }

    /// The first value of the item named `name` (`"DataTime"`, `"a34004-Rtd"`), or nil.
    public subscript(name: String) -> String? {
        var name = name
        return name.withUTF8 { wanted in
            for span in spans where span.valueStart >= 0 && equals(span.nameStart, span.nameEnd, wanted) {
                return string(span.valueStart, span.valueEnd)
            }
            return nil
        }
    }

    /// Whether an item named `name` is present.
    public func contains(name: String) -> Bool {
        var name = name
        return name.withUTF8 { wanted in spans.contains { equals($0.nameStart, $0.nameEnd, wanted) } }
    }

    /// A timestamp item (`DataTime`, `BeginTime`, `RestartTime`…): nil when absent, throws when malformed.
    public func timestamp(_ name: String) throws(HJ212Error) -> HJ212Timestamp? {
        guard let text = self[name] else { return nil }
        return try HJ212Timestamp(text)
    }

    /// `DataTime`: the period start for 2031/2041/2051/2061, the acquisition instant for 2011/2021 (§6.3.3).
    public var dataTime: HJ212Timestamp? {
        get throws(HJ212Error) { try timestamp("DataTime") }
    }

    /// `QnRtn` of a 9011 answer.
    public var requestReturnCode: RequestReturnCode? { self["QnRtn"].flatMap { Int($0) }.map(RequestReturnCode.init) }
    /// `ExeRtn` of a 9012 answer.
    public var executionReturnCode: ExecutionReturnCode? {
        self["ExeRtn"].flatMap { Int($0) }.map(ExecutionReturnCode.init)
    }

    /// Items without a code (`DataTime`, `QnRtn`, `BeginTime`, `RtdInterval`…), in order.
    public var plainFields: [CPField] { spans.filter { $0.dash < 0 }.map(field(for:)) }

    /// Items grouped by code (pollutant, `SBx` facility, vendor code) in order of first appearance,
    /// whether the device separated them with `,` or `;`.
    public var readings: [PollutantReading] {
        var order: [String] = []
        var byCode: [String: [CPField]] = [:]
        for span in spans where span.dash >= 0 {
            let field = field(for: span)
            guard let code = field.code else { continue }
            if byCode[code] == nil { order.append(code) }
            byCode[code, default: []].append(field)
        }
        return order.map { PollutantReading(code: $0, fields: byCode[$0] ?? []) }
    }

    /// The reading for one code, if present.
    public func reading(for code: String) -> PollutantReading? {
        readings.first { $0.code == code }
    }

    func field(for span: Span) -> CPField {
        let code = span.dash >= 0 ? string(span.nameStart, span.dash) : nil
        let key = span.dash >= 0 ? string(span.dash + 1, span.nameEnd) : string(span.nameStart, span.nameEnd)
        let value = span.valueStart >= 0 ? string(span.valueStart, span.valueEnd) : ""
        return CPField(code: code, key: key, value: value)
    }

    func string(_ start: Int32, _ end: Int32) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(start)..<Int(end)]), as: UTF8.self)
        }
    }

    func equals(_ start: Int32, _ end: Int32, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(end - start) == wanted.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            var index = Int(start)
            for byte in wanted {
                if buffer[index] != byte { return false }
                index += 1
            }
            return true
        }
    }

    static func checkName(_ code: String?, _ key: String) throws(HJ212Error) {
        let reserved: Set<UInt8> = [0x3B, 0x2C, 0x3D, 0x26, 0x0D, 0x0A]
        if key.isEmpty || key.utf8.contains(where: { reserved.contains($0) || $0 == 0x2D }) {
            throw HJ212Error.malformedField(
                name: key, value: "", reason: "名称为空或含保留字符 / empty name or reserved character in name")
        }
        if let code, code.isEmpty || code.utf8.contains(where: { reserved.contains($0) }) {
            throw HJ212Error.malformedField(
                name: code, value: "", reason: "编码为空或含保留字符 / empty code or reserved character in code")
        }
    }

    static func checkValue(_ field: CPField) throws(HJ212Error) {
        let bytes = Array(field.value.utf8)
        let bad = bytes.contains { $0 == 0x3B || $0 == 0x2C || $0 == 0x0D || $0 == 0x0A }
        let ampersands = zip(bytes, bytes.dropFirst()).contains { $0 == 0x26 && $1 == 0x26 }
        if bad || ampersands || bytes.last == 0x26 {
            throw HJ212Error.malformedField(
                name: field.name, value: field.value, reason: "值含 ; , && 或换行 / value contains ; , && or a line break")
        }
    }
}

/// The items of one code in a CP, e.g. `a34004-Rtd=35,a34004-Flag=N`.
public struct PollutantReading: Sendable, Hashable {
    /// Pollutant code (`a34004`), facility (`SB1`) or vendor code (`lng`), as sent.
    public let code: String
    /// The items, keys without the code, in order (duplicates kept).
    public let fields: [CPField]

    public init(code: String, fields: [CPField]) {
        self.code = code
        self.fields = fields
    }

    /// The first raw value for `key` (`"Rtd"`, `"Avg"`, `"Flag"`…).
    public func value(_ key: String) -> String? { fields.first { $0.key == key }?.value }

    /// The first value for `key` as a number; nil when absent or not a number.
    public func number(_ key: String) -> Double? { value(key).flatMap { Double($0) } }

    public var rtd: Double? { number("Rtd") }
    public var avg: Double? { number("Avg") }
    public var min: Double? { number("Min") }
    public var max: Double? { number("Max") }
    /// Cumulative value in the period.
    public var cou: Double? { number("Cou") }
    /// Converted (折算) values.
    public var zsRtd: Double? { number("ZsRtd") }
    public var zsAvg: Double? { number("ZsAvg") }
    public var zsMin: Double? { number("ZsMin") }
    public var zsMax: Double? { number("ZsMax") }
    /// The Table 8 data flag.
    public var flag: DataFlag? { value("Flag").map(DataFlag.init) }
    /// Device-defined extended flag (C4).
    public var eFlag: String? { value("EFlag") }
    /// Sampling time; nil when absent or malformed (use ``sampleTimeResult`` to see why).
    public var sampleTime: HJ212Timestamp? { try? sampleTimeResult.get() }
    public var sampleTimeResult: Result<HJ212Timestamp?, HJ212Error> {
        guard let text = value("SampleTime") else { return .success(nil) }
        do { return .success(try HJ212Timestamp(text)) } catch { return .failure(error) }
    }
    /// Valid / total sample counts in the period (seen in real minute data).
    public var validNum: Int? { value("ValidNum").flatMap { Int($0) } }
    public var totalNum: Int? { value("TotalNum").flatMap { Int($0) } }
    /// Facility running state `SBx-RS` (0 off, 1 running, 2 calibrating, 3 maintenance, 4 alarm, 5 blowback).
    public var runningState: Int? { value("RS").flatMap { Int($0) } }
    /// Facility daily run time `SBx-RT`, hours.
    public var runTime: Double? { number("RT") }
}
