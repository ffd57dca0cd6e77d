/// Why a frame or data segment was rejected. Each case names the fault and carries what was found;
/// `description` is a Chinese-first message with English, fit for a log line.
public enum HJ212Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The frame does not start with `##`.
    case missingHeader(found: String)
    /// The frame does not end with CR LF where one is required, or a lone CR/LF ends it.
    case missingTerminator
    /// Too few bytes to hold `##`, the 4-digit length and the 4-digit CRC.
    case truncated(byteCount: Int, minimum: Int)
    /// The 4 characters after `##` are not decimal digits.
    case invalidLengthField(String)
    /// The declared data-segment length differs from the bytes actually present.
    case lengthMismatch(declared: Int, actual: Int)
    /// The data segment (or CP) is longer than the policy allows.
    case oversize(part: String, length: Int, limit: Int)
    /// The last 4 characters are not hexadecimal digits.
    case invalidCRCField(String)
    /// No accepted algorithm gives the declared CRC. `attempts` lists what each one computed.
    case crcMismatch(declared: String, attempts: [CRCAttempt])
    /// A byte ≥ 0x80 where the policy allows ASCII only (`offset` counts from the first `#`).
    case nonASCII(offset: Int, byte: UInt8)
    /// Bytes ≥ 0x80 that are not well-formed UTF-8.
    case invalidUTF8(offset: Int)
    /// A control character (below 0x20, or DEL) inside the frame.
    case controlCharacter(offset: Int, byte: UInt8)
    /// A required header field (ST, CN, PW, MN, CP) is absent.
    case missingField(String)
    /// A header field appears twice.
    case duplicateField(String)
    /// A field is present but its text breaks the syntax.
    case malformedField(name: String, value: String, reason: String)
    /// A DataTime/QN-style timestamp that is not 14/17 digits or not a real date.
    case invalidTimestamp(String, reason: String)

    /// A short stable identifier, for metrics labels and tests.
    public var kind: String {
        switch self {
        case .missingHeader: return "missing_header"
        case .missingTerminator: return "missing_terminator"
        case .truncated: return "truncated"
        case .invalidLengthField: return "invalid_length_field"
        case .lengthMismatch: return "length_mismatch"
        case .oversize: return "oversize"
        case .invalidCRCField: return "invalid_crc_field"
        case .crcMismatch: return "crc_mismatch"
        case .nonASCII: return "non_ascii"
        case .invalidUTF8: return "invalid_utf8"
        case .controlCharacter: return "control_character"
        case .missingField: return "missing_field"
        case .duplicateField: return "duplicate_field"
        case .malformedField: return "malformed_field"
        case .invalidTimestamp: return "invalid_timestamp"
        }
    }

    /// The `QnRtn` a platform would answer a *request* with, where the fault maps onto Table 7.
    public var requestReturnCode: RequestReturnCode {
        switch self {
        case .crcMismatch, .invalidCRCField: return .crcWrong
        case .missingField(let name), .duplicateField(let name), .malformedField(let name, _, _):
            switch name {
            case "QN": return .qnWrong
            case "ST": return .stWrong
            case "CN": return .cnWrong
            case "PW": return .passwordWrong
            case "MN": return .mnWrong
            case "Flag", "PNUM", "PNO": return .flagWrong
            default: return .unknown
            }
        default: return .unknown
        }
    }

    public var description: String {
        switch self {
        case .missingHeader(let found):
            return "缺少包头 ## / missing \"##\" header (found \"\(found)\")"
        case .missingTerminator:
            return "缺少包尾 CR LF / missing CR LF terminator"
        case .truncated(let count, let minimum):
            return "数据包不完整 / truncated packet: \(count) bytes, at least \(minimum) needed"
        case .invalidLengthField(let text):
            return "数据段长度字段无效 / invalid length field \"\(text)\" (expected 4 decimal digits)"
        case .lengthMismatch(let declared, let actual):
            return "数据段长度不符 / length mismatch: declared \(declared), actual \(actual) bytes"
        case .oversize(let part, let length, let limit):
            return "\(part) 超长 / \(part) too long: \(length) bytes, limit \(limit)"
        case .invalidCRCField(let text):
            return "CRC 字段无效 / invalid CRC field \"\(text)\" (expected 4 hex digits)"
        case .crcMismatch(let declared, let attempts):
            let tried = attempts.map(\.description).joined(separator: ", ")
            return "CRC 校验失败 / CRC mismatch: got \(declared), expected \(tried)"
        case .nonASCII(let offset, let byte):
            return "非 ASCII 字符 / non-ASCII byte 0x\(String(byte, radix: 16, uppercase: true)) at offset \(offset)"
        case .invalidUTF8(let offset):
            return "UTF-8 编码无效 / invalid UTF-8 at offset \(offset)"
        case .controlCharacter(let offset, let byte):
            return "控制字符 / control character 0x\(String(byte, radix: 16, uppercase: true)) at offset \(offset)"
        case .missingField(let name):
            return "缺少字段 \(name) / missing field \(name)"
        case .duplicateField(let name):
            return "字段重复 \(name) / duplicate field \(name)"
        case .malformedField(let name, let value, let reason):
            return "字段格式错误 \(name) / malformed field \(name)=\"\(value)\": \(reason)"
        case .invalidTimestamp(let text, let reason):
            return "时间格式错误 / invalid timestamp \"\(text)\": \(reason)"
        }
    }
}
