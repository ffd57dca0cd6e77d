/// A wall-clock time as HJ 212 sends it: `yyyyMMddHHmmss` (N14, DataTime, SystemTime…) or the
/// 17-digit `yyyyMMddHHmmsszzz` form (QN, and some devices' DataTime, e.g. `20160824003817000`).
/// Devices send local time with no zone; China uses UTC+8. Convert with ``date(utcOffsetSeconds:)``.
public struct HJ212Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// Milliseconds, or nil when the 14-digit form was used.
    public let millisecond: Int?

    /// China Standard Time, the zone HJ 212 devices in China use.
    public static let chinaUTCOffsetSeconds = 8 * 3600

    public init(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int? = nil
    ) throws(HJ212Error) {
        let text = "\(year)-\(month)-\(day) \(hour):\(minute):\(second)"
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...HJ212Timestamp.daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
            (0...999).contains(millisecond ?? 0)
        else { throw HJ212Error.invalidTimestamp(text, reason: "日期或时间越界 / field out of range") }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    /// Parses 14 or 17 ASCII digits.
    public init(_ text: String) throws(HJ212Error) {
        try self.init(bytes: Array(text.utf8))
    }

    public init<Bytes: Collection>(bytes: Bytes) throws(HJ212Error) where Bytes.Element == UInt8 {
        let text = String(decoding: bytes, as: UTF8.self)
        guard bytes.count == 14 || bytes.count == 17 else {
            throw HJ212Error.invalidTimestamp(text, reason: "需要 14 或 17 位数字 / expected 14 or 17 digits")
        }
        var digits: [Int] = []
        digits.reserveCapacity(17)
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw HJ212Error.invalidTimestamp(text, reason: "含非数字字符 / non-digit character")
            }
            digits.append(Int(byte - UInt8(ascii: "0")))
        }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        do {
            try self.init(
                year: number(0..<4), month: number(4..<6), day: number(6..<8),
                hour: number(8..<10), minute: number(10..<12), second: number(12..<14),
                millisecond: digits.count == 17 ? number(14..<17) : nil)
        } catch {
            throw HJ212Error.invalidTimestamp(text, reason: "日期或时间越界 / field out of range")
        }
    }

    /// The 14-digit form, or 17 digits when milliseconds are present.
    public var text: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let base = pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
        guard let millisecond else { return base }
        return base + pad(millisecond, 3)
    }

    public var description: String { text }

    /// Seconds since 1970-01-01T00:00:00Z, given the zone the device's clock is in.
    public func secondsSince1970(utcOffsetSeconds: Int) -> Double {
        let days = HJ212Timestamp.daysFromCivil(year: year, month: month, day: day)
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        return Double(local - utcOffsetSeconds) + Double(millisecond ?? 0) / 1000
    }

    public static func < (lhs: HJ212Timestamp, rhs: HJ212Timestamp) -> Bool {
        lhs.sortKey < rhs.sortKey
    }

    private var sortKey: Int {
        let date = (year * 100 + month) * 100 + day
        let time = (hour * 100 + minute) * 100 + second
        return (date * 1_000_000 + time) * 1000 + (millisecond ?? 0)
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
