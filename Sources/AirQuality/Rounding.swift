/// Numerical rounding per GB/T 8170-2008 (数值修约规则): round half to even (四舍六入五成双).
///
/// HJ 633 and HJ 663 round concentrations with this rule before computing an IAQI or a composite
/// index: SO2, NO2, O3, PM10 and PM2.5 to integers, CO to one decimal (STANDARDS §1.5 [S2]).
///
/// The rule is applied to the *decimal* value a person or an instrument wrote, not to the nearest
/// binary double: `0.15` (stored as 0.1499999999999999944…) rounds to `0.2`, `0.25` to `0.2`,
/// `35.5` to `36`, `60.5` to `60`. A double is therefore rounded as its shortest round-trip decimal
/// representation whenever it lies close enough to a tie for the binary error to matter (decided
/// exactly, without formatting text; see `roundedNearTie`); everywhere else the cheap binary
/// rounding gives the same answer.
public enum GBT8170 {
    /// `value` rounded half-to-even to `decimals` places, as an integer count of 10^-decimals.
    /// For example `roundedScaled(0.25, decimals: 1) == 2` (0.2 mg/m³).
    ///
    /// The caller validates `value` first (finite); see `Concentration.validated`.
    @inlinable
    public static func roundedScaled(_ value: Double, decimals: Int) -> Int64 {
        if decimals == 0 {
            // Scaling by 1 is exact, so the double's own half-to-even rounding is the decimal one:
            // a double exactly halfway between integers (35.5) is that decimal tie, and any other
            // double lies on the same side of the tie as the decimal it was read from.
            let magnitude = abs(value)
            if magnitude < 4_503_599_627_370_496 {  // 2^52
                let rounded = roundedToInteger(magnitude)
                return value < 0 ? -rounded : rounded
            }
        }
        let scaled = value * powerOfTen(decimals)
        let magnitude = abs(scaled)
        if magnitude >= 4_503_599_627_370_496 {  // 2^52: every double here is already an integer
            // Saturate instead of trapping: 1e300 µg/m³ is far above every table's top.
            if scaled >= 0x1p63 { return Int64.max }
            return scaled <= -0x1p63 ? Int64.min : Int64(scaled)
        }
        let whole = Int64(magnitude)  // truncation = floor for a non-negative magnitude
        let fraction = magnitude - Double(whole)  // exact below 2^52
        var rounded = whole &+ (fraction > 0.5 ? 1 : 0)
        // Near a tie the product may carry binary error (0.15 × 10 = 1.5000000000000002):
        // decide such cases exactly on the decimal value instead. The band is far wider than that
        // error (a few ulps); it only chooses the exact path, never the answer.
        if abs(fraction - 0.5) <= 1e-9 + magnitude * 1e-15 {
            rounded = roundedNearTie(abs(value), whole: whole, decimals: decimals)
        }
        return scaled < 0 ? -rounded : rounded
    }

    /// GB/T 8170 rounding to an integer (0 decimals) of a `magnitude` in 0 ..< 2^52: adding 2^52
    /// rounds to an integer, half to even, in IEEE arithmetic (see `roundedScaled`).
    @inlinable @inline(__always)
    static func roundedToInteger(_ magnitude: Double) -> Int64 {
        Int64((magnitude + 4_503_599_627_370_496) - 4_503_599_627_370_496)
    }

    /// Exact GB/T 8170 rounding of a non-negative `magnitude` whose scaled value lies near the tie
    /// `t = (whole + ½) / 10^decimals`, without formatting text.
    ///
    /// `Double(2·whole + 1) / (2·10^decimals)` is one correctly rounded division of exact
    /// integers, so it is the double nearest to the decimal `t`. Rounding decimals to doubles is
    /// monotonic, hence the decimal written down (the shortest round-trip representation) is above
    /// `t` exactly when `magnitude` is above that double, below when below. When they are equal it
    /// is `t` itself, a genuine tie that goes to the even neighbour: `t` has at most 14
    /// significant digits here, and no two decimals of at most 15 digits read back as the same
    /// double. Larger values and unusual `decimals` take the textual path
    /// (`roundedScaledExactly`). A test holds both paths equal near ties.
    @usableFromInline @inline(never)  // the cold path: kept out of the callers' loops
    static func roundedNearTie(_ magnitude: Double, whole: Int64, decimals: Int) -> Int64 {
        guard whole < 10_000_000_000_000, decimals >= 0, decimals <= 15 else {
            return abs(roundedScaledExactly(magnitude, decimals: decimals))
        }
        let tie = Double(2 &* whole &+ 1) / (2 * powerOfTen(decimals))
        if magnitude > tie { return whole &+ 1 }
        if magnitude < tie { return whole }
        return whole &+ (whole & 1)
    }

    /// `value` rounded half-to-even to `decimals` places, as a double (for display and tests).
    public static func rounded(_ value: Double, decimals: Int) -> Double {
        Double(roundedScaled(value, decimals: decimals)) / powerOfTen(decimals)
    }

    /// Rounds a decimal numeral exactly (no binary conversion): `"0.25"` → 2 at one decimal.
    /// Accepts an optional sign, digits with one optional point, and an optional exponent
    /// (`1e-05`, `1.5E+3`). Returns nil for anything else or when the result overflows.
    public static func roundedScaled(decimalText: Substring, decimals: Int) -> Int64? {
        guard let numeral = DecimalNumeral(decimalText) else { return nil }
        return numeral.roundedHalfEven(decimals: decimals)
    }

    @usableFromInline
    static func roundedScaledExactly(_ value: Double, decimals: Int) -> Int64 {
        // `description` is the shortest representation that reads back as the same double,
        // i.e. the decimal that was written down.
        let text = value.description
        return DecimalNumeral(Substring(text))?.roundedHalfEven(decimals: decimals)
            ?? Int64((value * powerOfTen(decimals)).rounded(.toNearestOrEven))
    }

    @inlinable
    static func powerOfTen(_ decimals: Int) -> Double {
        switch decimals {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1000
        default: (0..<decimals).reduce(1.0) { value, _ in value * 10 }
        }
    }
}

/// A decimal numeral split into sign, digits and the position of the decimal point.
struct DecimalNumeral {
    var negative: Bool
    /// Significant digits, most significant first, values 0…9.
    var digits: [UInt8]
    /// Number of digits before the decimal point (may be negative or exceed `digits.count`).
    var pointPosition: Int

    init?(_ text: Substring) {
        var chars = text.utf8[...]
        negative = false
        if let first = chars.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            chars = chars.dropFirst()
        }
        digits = []
        var beforePoint = 0
        var seenPoint = false
        var seenDigit = false
        var exponent = 0
        while let c = chars.first {
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                digits.append(c - UInt8(ascii: "0"))
                if !seenPoint { beforePoint += 1 }
                seenDigit = true
            } else if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                guard seenDigit, let parsed = Int(String(decoding: chars.dropFirst(), as: UTF8.self)),
                    abs(parsed) < 400
                else { return nil }
                exponent = parsed
                chars = chars[chars.endIndex...]
                break
            } else {
                return nil
            }
            chars = chars.dropFirst()
        }
        guard seenDigit else { return nil }
        pointPosition = beforePoint + exponent
    }

    /// The numeral × 10^decimals rounded half to even, or nil on overflow.
    func roundedHalfEven(decimals: Int) -> Int64? {
        let keep = pointPosition + decimals  // number of leading digits that stay
        // The first dropped digit is then an implied leading zero: the value rounds to 0.
        if keep < 0 { return 0 }
        var result: Int64 = 0
        var index = 0
        while index < keep {
            let digit = index < digits.count ? Int64(digits[index]) : 0
            let (times, o1) = result.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            result = plus
            index += 1
        }
        let firstDropped = keep
        if firstDropped < digits.count {
            let dropped = digits[firstDropped]
            let restNonZero = digits[(firstDropped + 1)...].contains { $0 != 0 }
            let roundUp = dropped > 5 || (dropped == 5 && (restNonZero || result % 2 == 1))
            if roundUp { result += 1 }
        }
        return negative ? -result : result
    }
}
