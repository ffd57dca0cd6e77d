/// A validated concentration after GB/T 8170 rounding: non-negative, finite, and held as an
/// integer count of the pollutant's rounding unit (1 µg/m³, or 0.1 mg/m³ for CO), so that the
/// IAQI arithmetic on it is exact.
public struct Concentration: Sendable, Hashable {
    public let pollutant: Pollutant
    /// The rounded value × `pollutant.scale` (CO 1.3 mg/m³ → 13).
    public let scaled: Int64

    public init(pollutant: Pollutant, scaled: Int64) {
        self.pollutant = pollutant
        self.scaled = scaled
    }

    /// The rounded value in the pollutant's unit.
    public var value: Double { Double(scaled) / Double(pollutant.scale) }

    /// Validates and rounds a measured value (STANDARDS §1.5): NaN, infinities and negative
    /// values are rejected with the reason, never turned into a number.
    @inlinable
    public static func validated(_ value: Double, _ pollutant: Pollutant) -> Result<Concentration, InvalidConcentration>
    {
        if let reason = InvalidConcentration.Reason.check(value) {
            return .failure(InvalidConcentration(pollutant: pollutant, value: value, reason: reason))
        }
        let scaled = GBT8170.roundedScaled(value, decimals: pollutant.decimals)
        return .success(Concentration(pollutant: pollutant, scaled: scaled))
    }

    /// Parses a decimal numeral and rounds it exactly (no binary conversion).
    /// Returns `.failure(.unreadable)` for text that is not a number.
    public static func parsed(_ text: Substring, _ pollutant: Pollutant) -> Result<Concentration, InvalidConcentration>
    {
        let trimmed = text.trimmingSpaces
        guard let number = Double(trimmed) else {
            let reason: InvalidConcentration.Reason = .unreadable(String(trimmed))
            return .failure(InvalidConcentration(pollutant: pollutant, value: .nan, reason: reason))
        }
        if let reason = InvalidConcentration.Reason.check(number) {
            return .failure(InvalidConcentration(pollutant: pollutant, value: number, reason: reason))
        }
        guard let scaled = GBT8170.roundedScaled(decimalText: trimmed, decimals: pollutant.decimals) else {
            return validated(number, pollutant)
        }
        return .success(Concentration(pollutant: pollutant, scaled: scaled))
    }
}

/// A value that cannot become a concentration or an index, with the value and the reason.
public struct InvalidConcentration: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case notANumber
        case infinite
        case negative
        /// Above the last breakpoint of the table (IAQI 500): the index is beyond the scale.
        case aboveTopBreakpoint(top: Double)
        /// The text could not be read as a number.
        case unreadable(String)

        @inlinable
        static func check(_ value: Double) -> Reason? {
            if value.isNaN { return .notANumber }
            if value.isInfinite { return .infinite }
            if value < 0 { return .negative }
            return nil
        }
    }

    public let pollutant: Pollutant
    /// The AQI item whose table rejected the value, when the rejection came from a table.
    public var item: AQIItem?
    public let value: Double
    public let reason: Reason

    public init(pollutant: Pollutant, item: AQIItem? = nil, value: Double, reason: Reason) {
        self.pollutant = pollutant
        self.item = item
        self.value = value
        self.reason = reason
    }

    /// Chinese first, then English: names the field, the value and why.
    public var description: String {
        let name = item?.code ?? pollutant.rawValue
        let unit = pollutant.unit.rawValue
        switch reason {
        case .notANumber:
            return "\(name) 浓度不是数值 (NaN) / \(name) concentration is not a number (NaN)"
        case .infinite:
            return "\(name) 浓度为无穷大 (\(value)) / \(name) concentration is infinite (\(value))"
        case .negative:
            return "\(name) 浓度为负值 \(value) \(unit) / \(name) concentration is negative: \(value) \(unit)"
        case .aboveTopBreakpoint(let top):
            return "\(name) 浓度 \(value) \(unit) 超过分指数表上限 \(top)（IAQI 500），超出指数范围 / "
                + "\(name) concentration \(value) \(unit) is above the top breakpoint \(top) (IAQI 500): beyond the scale"
        case .unreadable(let text):
            return "\(name) 浓度“\(text)”无法识别为数值 / \(name) concentration \"\(text)\" is not a number"
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
        return s
    }
}
