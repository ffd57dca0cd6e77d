import Foundation

/// The ledger's figures for one group of cases (a unit, a category, a source): what assessment reads.
public struct CaseFigures: Sendable, Hashable, Codable {
    public var key: String
    public var name: String
    public var total: Int
    public var open: Int
    public var overdue: Int
    public var closed: Int
    /// Closed with the problem fixed (not the honest not-fixed closes).
    public var rectified: Int
    /// Closed on or before the deadline in force when it closed, as a share of closed cases with a deadline
    /// (percent, one decimal); nil when none closed.
    public var closedOnTimePercent: Double?
    /// Mean calendar days from registration to closing, one decimal; nil when none closed.
    public var meanDaysToClose: Double?
    public var rebounds: Int

    public init(key: String, name: String) {
        self.key = key
        self.name = name
        total = 0
        open = 0
        overdue = 0
        closed = 0
        rectified = 0
        rebounds = 0
    }
}

public struct CaseStatisticsReport: Sendable, Hashable, Codable {
    public var day: CalendarDay
    public var overall: CaseFigures
    public var byUnit: [CaseFigures]
    public var byCategory: [CaseFigures]
    public var bySource: [CaseFigures]
}

public enum CaseStatistics {
    /// Figures as of `day` for `cases`; `unitNames` names the units (code when unknown). Groups are
    /// ordered by most open, then key.
    public static func report(
        _ cases: [LedgerCase], on day: CalendarDay, unitNames: [String: String] = [:]
    ) -> CaseStatisticsReport {
        var overall = Accumulator(key: "all", name: "全部")
        var units: [String: Accumulator] = [:]
        var categories: [String: Accumulator] = [:]
        var sources: [String: Accumulator] = [:]
        for item in cases {
            overall.add(item, on: day)
            let unit = item.responsibleUnitCode ?? ""
            units[unit, default: Accumulator(key: unit, name: unit.isEmpty ? "未交办" : unitNames[unit] ?? unit)]
                .add(item, on: day)
            categories[
                item.category.rawValue,
                default: Accumulator(key: item.category.rawValue, name: item.category.displayName)
            ].add(item, on: day)
            sources[
                item.source.rawValue, default: Accumulator(key: item.source.rawValue, name: item.source.displayName)
            ]
            .add(item, on: day)
        }
        func ordered(_ groups: [String: Accumulator]) -> [CaseFigures] {
            groups.values.map(\.figures).sorted { ($0.open, $1.key) > ($1.open, $0.key) }
        }
        return CaseStatisticsReport(
            day: day, overall: overall.figures, byUnit: ordered(units), byCategory: ordered(categories),
            bySource: ordered(sources))
    }

    struct Accumulator {
        var figures: CaseFigures
        var onTime = 0
        var closedWithDeadline = 0
        var daysToClose = 0

        init(key: String, name: String) { figures = CaseFigures(key: key, name: name) }

        mutating func add(_ item: LedgerCase, on day: CalendarDay) {
            figures.total += 1
            figures.rebounds += item.state.rebounds
            if item.state.status == .closed, let closedOn = item.state.closedOn {
                figures.closed += 1
                if item.state.outcome == .rectified { figures.rectified += 1 }
                if let deadline = item.state.deadline {
                    closedWithDeadline += 1
                    if closedOn <= deadline { onTime += 1 }
                }
                let created = CalendarDay(containing: Date(timeIntervalSince1970: TimeInterval(item.createdAt)))
                daysToClose += max(0, created.days(until: closedOn))
                figures.closedOnTimePercent =
                    closedWithDeadline == 0 ? nil : (Double(onTime) * 1000 / Double(closedWithDeadline)).rounded() / 10
                figures.meanDaysToClose = (Double(daysToClose) * 10 / Double(figures.closed)).rounded() / 10
            } else {
                figures.open += 1
                if item.isOverdue(on: day) { figures.overdue += 1 }
            }
        }
    }
}

extension CalendarDay {
    /// Calendar days from this day to `other` (negative when `other` is earlier).
    public func days(until other: CalendarDay) -> Int {
        Int(((other.start.timeIntervalSince1970 - start.timeIntervalSince1970) / 86_400).rounded())
    }
}
