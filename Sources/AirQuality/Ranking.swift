/// Why a unit is left out of a ranking. A unit without enough valid data is never ranked as clean.
public enum RankingExclusion: Error, Sendable, Hashable, CustomStringConvertible {
    /// A statistic had too few valid daily values (GB 3095-2012 Table 4).
    case insufficientData(statistic: String, valid: Int, required: Int)
    /// A value could not be used.
    case invalidValue(InvalidConcentration)
    /// No comparison value (e.g. no previous-year index for a change rate, or a zero base).
    case noBaseline
    /// Excluded by a rule of the ranking scheme (e.g. all pollutants already meet grade 2 in the
    /// worsening ranking, 变化程度排名方案 2017).
    case ruled(String)

    public var description: String {
        switch self {
        case .insufficientData(let statistic, let valid, let required):
            "\(statistic) 有效数据不足（\(valid) < \(required)），不参加排名 / "
                + "\(statistic): \(valid) valid values < \(required) required, not ranked"
        case .invalidValue(let error):
            "数据无效，不参加排名：\(error)"
        case .noBaseline:
            "无对比基数，不参加排名 / no baseline to compare with, not ranked"
        case .ruled(let reason):
            "按排名规则排除：\(reason) / excluded by the ranking rules: \(reason)"
        }
    }
}

/// A unit (station, township, county, city) offered to a ranking.
public struct RankingCandidate<ID: Hashable & Sendable>: Sendable {
    public let id: ID
    public let value: Result<Double, RankingExclusion>

    public init(id: ID, value: Result<Double, RankingExclusion>) {
        self.id = id
        self.value = value
    }
}

/// A ranked or excluded unit.
public struct RankedUnit<ID: Hashable & Sendable>: Sendable, Hashable {
    public let id: ID
    /// 1-based rank; units with equal keys share a rank (并列) and the next rank skips
    /// (1, 2, 2, 4). Nil when excluded.
    public let rank: Int?
    /// The value as ranked (rounded to the ranking's decimals), nil when excluded.
    public let value: Double?
    /// True when another unit has the same rank.
    public let isTied: Bool
    public let exclusion: RankingExclusion?
}

public enum Ranking {
    public enum Order: Sendable, Hashable {
        /// Smaller first: composite index (best air first) or change rate (most improved first).
        case ascending
        /// Larger first: "the worst first" (后十).
        case descending
    }

    /// Ranks candidates by their value rounded (GB/T 8170) to `decimals` — the published figure —
    /// so that ties are exact. Excluded candidates follow, in input order, with rank nil and the
    /// reason. The composite index is ranked with 2 decimals; a change rate (percent) with 1.
    public static func rank<ID>(
        _ candidates: [RankingCandidate<ID>], decimals: Int = 2, order: Order = .ascending
    ) -> [RankedUnit<ID>] {
        var ranked: [(id: ID, key: Int64, position: Int)] = []
        var excluded: [RankedUnit<ID>] = []
        for (position, candidate) in candidates.enumerated() {
            switch candidate.value {
            case .success(let value) where value.isFinite:
                ranked.append((candidate.id, GBT8170.roundedScaled(value, decimals: decimals), position))
            case .success(let value):
                let error = InvalidConcentration(
                    pollutant: .pm25, value: value, reason: value.isNaN ? .notANumber : .infinite)
                excluded.append(
                    RankedUnit(id: candidate.id, rank: nil, value: nil, isTied: false, exclusion: .invalidValue(error)))
            case .failure(let exclusion):
                excluded.append(
                    RankedUnit(id: candidate.id, rank: nil, value: nil, isTied: false, exclusion: exclusion))
            }
        }
        ranked.sort { lhs, rhs in
            if lhs.key != rhs.key { return order == .ascending ? lhs.key < rhs.key : lhs.key > rhs.key }
            return lhs.position < rhs.position
        }
        var units: [RankedUnit<ID>] = []
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        for (index, entry) in ranked.enumerated() {
            var first = index
            while first > 0 && ranked[first - 1].key == entry.key { first -= 1 }
            let tied =
                (index > 0 && ranked[index - 1].key == entry.key)
                || (index + 1 < ranked.count && ranked[index + 1].key == entry.key)
            units.append(
                RankedUnit(
                    id: entry.id, rank: first + 1, value: Double(entry.key) / scale, isTied: tied, exclusion: nil))
        }
        return units + excluded
    }
}
