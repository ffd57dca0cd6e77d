/// Numbers as HJ 212 `N` fields hold them: plain decimal, no exponent, no trailing zeros (`0.427`, `35`,
/// `-3.5`, `0.00001`). The digits are Swift's shortest round-trip form, so parsing gives back the same Double.
public enum HJ212Number {
    /// Nil for NaN and infinities.
    public static func format(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == 0 { return "0" }  // also −0
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let text = value.description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }),
            let exponent = Int(text[text.index(after: e)...])
        else { return text }
        var mantissa = text[..<e]
        let negative = mantissa.first == "-"
        if negative { mantissa = mantissa.dropFirst() }
        let integer = mantissa.prefix { $0 != "." }
        let fraction = mantissa.drop { $0 != "." }.dropFirst()
        let digits = Array(integer + fraction)
        let point = integer.count + exponent
        var result: String
        if point <= 0 {
            result = "0." + String(repeating: "0", count: -point) + String(digits)
        } else if point >= digits.count {
            result = String(digits) + String(repeating: "0", count: point - digits.count)
        } else {
            result = String(digits[..<point]) + "." + String(digits[point...])
        }
        if result.contains(".") {
            while result.last == "0" { result.removeLast() }
            if result.last == "." { result.removeLast() }
        }
        return negative ? "-" + result : result
    }
}
