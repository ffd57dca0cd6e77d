/// Concentrations for one AQI (as measured, before GB/T 8170 rounding; nil = missing).
///
/// Real-time report (STANDARDS §1.4, verified against CNEMC [C]): `so2`, `no2`, `co`, `o3OneHour`
/// are the latest 1-hour means on the 1-hour tables; `pm10`, `pm25` are the latest 1-hour means on
/// the 24-hour tables; `so2TwentyFourHour` (the 24-hour moving mean) is used only by the 2012 rule
/// for SO2 1 h > 800; `o3EightHour` is not used.
///
/// Daily report: `so2`, `no2`, `co`, `pm10`, `pm25` are 24-hour means; `o3EightHour` is the O3 daily
/// maximum 8-hour mean; `o3OneHour` the O3 daily maximum 1-hour mean (2012 only, see `AQIOptions`).
public struct AQIInput: Sendable, Hashable {
    public var so2: Double?
    public var so2TwentyFourHour: Double?
    public var no2: Double?
    public var co: Double?
    public var o3OneHour: Double?
    public var o3EightHour: Double?
    public var pm10: Double?
    public var pm25: Double?

    public init(
        so2: Double? = nil, so2TwentyFourHour: Double? = nil, no2: Double? = nil, co: Double? = nil,
        o3OneHour: Double? = nil, o3EightHour: Double? = nil, pm10: Double? = nil, pm25: Double? = nil
    ) {
        self.so2 = so2
        self.so2TwentyFourHour = so2TwentyFourHour
        self.no2 = no2
        self.co = co
        self.o3OneHour = o3OneHour
        self.o3EightHour = o3EightHour
        self.pm10 = pm10
        self.pm25 = pm25
    }
}

/// The integer IAQI of each item (nil = not computed), without allocation.
public struct SubIndices: Sendable, Hashable {
    @usableFromInline var values = SIMD8<Int16>(repeating: -1)

    public init() {}

    public subscript(item: AQIItem) -> Int? {
        get {
            let value = values[Int(item.rawValue)]
            return value < 0 ? nil : Int(value)
        }
        set { values[Int(item.rawValue)] = newValue.map { Int16($0) } ?? -1 }
    }

    /// Items that have an IAQI.
    public var present: AQIItemSet { items(above: -1) }

    /// Highest IAQI, or nil when none.
    public var maximum: Int? {
        var top: Int16 = -1
        for lane in 0..<7 { top = Swift.max(top, values[lane]) }
        return top < 0 ? nil : Int(top)
    }

    /// Items whose IAQI equals `value`.
    public func items(equalTo value: Int) -> AQIItemSet {
        var bits: UInt8 = 0
        for lane in 0..<7 { bits |= (values[lane] == Int16(value) ? 1 : 0) << UInt8(lane) }
        return AQIItemSet(rawValue: bits)
    }

    /// Items whose IAQI is above `value`.
    public func items(above value: Int) -> AQIItemSet {
        var bits: UInt8 = 0
        for lane in 0..<7 { bits |= (values[lane] > Int16(value) ? 1 : 0) << UInt8(lane) }
        return AQIItemSet(rawValue: bits)
    }
}

/// The published AQI of a result.
public enum AQIValue: Sendable, Hashable {
    case index(Int)
    /// At least one concentration lies above its table's last breakpoint (IAQI 500): the AQI is
    /// above 500 and has no number. The level is 六级 (严重污染); see `AQIResult.invalid`.
    case beyondScale
    case notAvailable(NotAvailableReason)
}

public enum NotAvailableReason: String, Sendable, Hashable {
    /// No pollutant had a value.
    case noData
    /// A value was NaN, infinite, negative or unreadable (see `AQIResult.invalid`).
    case invalidInput
    /// Pollutants were missing and the incomplete-data policy withholds the AQI ("NA").
    case incompleteData
}

/// The special rules of HJ 633 Table 1 notes that a computation applied.
public struct SpecialRules: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// HJ 633-2012 Table 1 note (2): SO2 1 h > 800, the SO2 IAQI came from the 24-hour table.
    public static let so2OneHourAbove800UsedTwentyFourHour = SpecialRules(rawValue: 1)
    /// HJ 633-2012 note (2) without a 24-hour value: no SO2 IAQI (the CNEMC practice, "skipped").
    public static let so2OneHourAbove800WithoutTwentyFourHour = SpecialRules(rawValue: 2)
    /// HJ 633—2026 Table 3 note b: SO2 1 h > 800, IAQI counted as 200 [S1–S2, verify].
    public static let so2OneHourAbove800CountedAs200 = SpecialRules(rawValue: 4)
    /// HJ 633-2012 Table 1 note (3): O3 8 h > 800, the O3 IAQI came from the 1-hour table.
    public static let o3EightHourAbove800UsedOneHour = SpecialRules(rawValue: 8)
    /// HJ 633—2026 Table 3 note c: O3 8 h > 800, IAQI counted as 300 [S1–S2, verify].
    public static let o3EightHourAbove800CountedAs300 = SpecialRules(rawValue: 16)
}

/// An AQI with everything a publisher shows next to it.
public struct AQIResult: Sendable, Hashable {
    public let ruleSet: AQIRuleSet
    public let mode: AQIMode
    public let value: AQIValue
    public let subIndices: SubIndices
    /// 首要污染物: when AQI > 50, every item whose IAQI equals the AQI (ties all count);
    /// empty when AQI ≤ 50 (HJ 633 §5, STANDARDS §1.7 [S2]). For `.beyondScale`, the items beyond.
    public let primaryPollutants: AQIItemSet
    /// 超标污染物: items with IAQI > 100 (STANDARDS §1.7 [S2]), plus items beyond the scale.
    public let exceedingPollutants: AQIItemSet
    /// Required items without a value.
    public let missing: AQIItemSet
    public let appliedRules: SpecialRules
    /// Every value that could not become an IAQI, with the reason.
    public let invalid: [InvalidConcentration]

    /// The AQI number when one is published.
    public var aqi: Int? {
        if case .index(let value) = value { return value }
        return nil
    }

    /// The level, also for `.beyondScale` (六级); nil when no AQI is published.
    public var level: AQILevel? {
        switch value {
        case .index(let value): AQILevel(aqi: value)
        case .beyondScale: .six
        case .notAvailable: nil
        }
    }

    /// HJ 633—2026 sensitive groups of the items with IAQI > 100 (none under 2012, whose advice is
    /// per level: `AQILevel.advice`).
    public var sensitiveGroups: [String] {
        guard ruleSet == .hj633_2026 else { return [] }
        var groups: [String] = []
        for item in exceedingPollutants.items {
            if let text = item.pollutant.sensitiveGroups2026, !groups.contains(text) { groups.append(text) }
        }
        return groups
    }
}
