import AirQuality

/// ISO 8601 date-times as the HTTP API and the readings CSV carry them. An instant must say its offset
/// (`2024-01-05T08:00:00+08:00`, `2024-01-05T00:00:00Z`): a time without one is ambiguous across clients
/// and is rejected rather than guessed. Fractional seconds are accepted and truncated: readings are
/// stored to the second. The arithmetic is ``ChinaDateTime``'s (China has used a fixed UTC+08:00 since 1991).
public enum ISO8601Time {
    /// Seconds since 1970-01-01T00:00:00Z, or `.badTime` naming the text and what is wrong with it.
    ///
    /// Accepted: `YYYY-MM-DDThh:mm[:ss[.fff…]]` followed by `Z` or `±hh:mm` (a space may stand for `T`).
    public static func parse(_ text: Substring) -> Result<Int64, RejectionReason> {
        let shown = String(text).trimmingSpaces()
        let bytes = Array(shown.utf8)
        guard bytes.count > 10, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") else {
            return .failure(.badTime("\(shown)（需要日期和时间，如 2024-01-05T08:00:00+08:00 / expected a date and time)"))
        }
        switch offset(of: bytes) {
        case .missing:
            return .failure(.badTime("\(shown)（缺少时区偏移，如 +08:00 或 Z / missing UTC offset, e.g. +08:00 or Z）"))
        case .outOfRange:
            return .failure(.badTime("\(shown)（时区偏移超出 ±14:00 / UTC offset beyond ±14:00）"))
        case .present:
            guard let time = ChinaDateTime.parse(Substring(shown)) else {
                return .failure(.badTime("\(shown)（不是有效的 ISO 8601 时间 / not a valid ISO 8601 date-time）"))
            }
            return .success(time.secondsSinceEpoch)
        }
    }

    public static func parse(_ text: String) -> Result<Int64, RejectionReason> {
        parse(Substring(text))
    }

    /// `2024-01-05T08:00:00+08:00`: the instant in China time with its offset, as the API writes times.
    public static func format(_ secondsSinceEpoch: Int64) -> String {
        ChinaDateTime(secondsSinceEpoch: secondsSinceEpoch).iso8601
    }

    private enum Offset {
        case missing, outOfRange, present
    }

    /// Looks only at the tail: `Z`, or `±hh:mm` after the time (the date's own `-` are at 4 and 7).
    private static func offset(of bytes: [UInt8]) -> Offset {
        if bytes.last == UInt8(ascii: "Z") { return .present }
        let start = bytes.count - 6
        guard start > 10, bytes[start] == UInt8(ascii: "+") || bytes[start] == UInt8(ascii: "-"),
            bytes[start + 3] == UInt8(ascii: ":"),
            [1, 2, 4, 5].allSatisfy({ bytes[start + $0] >= UInt8(ascii: "0") && bytes[start + $0] <= UInt8(ascii: "9") }
            )
        else { return .missing }
        func digit(_ index: Int) -> Int { Int(bytes[start + index] - UInt8(ascii: "0")) }
        let hours = digit(1) * 10 + digit(2)
        let minutes = digit(4) * 10 + digit(5)
        // Real offsets run from −12:00 to +14:00 (Kiribati); anything beyond is a typo, not a zone.
        return hours * 60 + minutes <= 14 * 60 && minutes < 60 ? .present : .outOfRange
    }
}
