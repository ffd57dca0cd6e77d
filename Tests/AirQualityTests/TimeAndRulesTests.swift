import AirQuality
import Testing

struct TimeAndRulesTests {
    static func time(_ text: String) -> ChinaDateTime { ChinaDateTime.parse(Substring(text))! }

    /// (hour end, rule set under `auto`): the cut-over is 2026-03-01T00:00+08:00 by period start.
    static let hours: [(String, AQIRuleSet)] = [
        ("2026-02-28T23:00:00+08:00", .hj633_2012),
        ("2026-03-01T00:00:00+08:00", .hj633_2012),  // hour 24 of 2026-02-28
        ("2026-03-01T01:00:00+08:00", .hj633_2026),  // the first 2026 hour
        ("2026-02-28T16:00:00Z", .hj633_2012),  // = 2026-03-01T00:00+08:00
        ("2026-02-28T17:00:00Z", .hj633_2026),
        ("2019-07-18T14:00:00", .hj633_2012),  // no offset: Beijing time
    ]

    @Test(arguments: TimeAndRulesTests.hours)
    func realtimeRuleSetByHourEnd(text: String, expected: AQIRuleSet) {
        #expect(RuleSelection.auto.ruleSet(hourEndingAt: Self.time(text)) == expected)
        // And an explicit override wins
        #expect(RuleSelection.fixed(.hj633_2026).ruleSet(hourEndingAt: Self.time(text)) == .hj633_2026)
    }

    @Test
    func dailyRuleSetByDate() {
        #expect(RuleSelection.auto.ruleSet(day: CivilDate(year: 2026, month: 2, day: 28)) == .hj633_2012)
        #expect(RuleSelection.auto.ruleSet(day: CivilDate(year: 2026, month: 3, day: 1)) == .hj633_2026)
        #expect(RuleSelection("2012") == .fixed(.hj633_2012))
        #expect(RuleSelection("auto") == .auto)
        #expect(RuleSelection("2013") == nil)
        #expect(RuleSelection.cutover2026.secondsSinceEpoch == 1_772_294_400)  // 2026-02-28T16:00:00Z
    }

    @Test
    func hj212DataTimeIsThePeriodStart() {
        // Given HJ 212 hourly data with DataTime 08:00 (covering 08:00–09:00)
        let label = HourLabel(hj212DataTime: Self.time("20160801080000"))
        // Then GB 3095 labels it by its end: hour 09 of 2016-08-01
        #expect(label.date == CivilDate(year: 2016, month: 8, day: 1))
        #expect(label.hour == 9)
        #expect(label.end == Self.time("2016-08-01T09:00:00+08:00"))
        // And the last hour of the day, DataTime 23:00, is hour 24 of the same day
        let last = HourLabel(hj212DataTime: Self.time("20160801230000"))
        #expect(last.date == CivilDate(year: 2016, month: 8, day: 1))
        #expect(last.hour == 24)
        #expect(last.end == Self.time("2016-08-02T00:00:00+08:00"))
        #expect(last.start == Self.time("20160801230000"))
    }

    @Test
    func parsingAndPrinting() {
        #expect(Self.time("2017-07-07T16:00:00").iso8601 == "2017-07-07T16:00:00+08:00")
        #expect(Self.time("2017-07-07T08:00:00Z").iso8601 == "2017-07-07T16:00:00+08:00")
        #expect(Self.time("2017-07-07 16:00").iso8601 == "2017-07-07T16:00:00+08:00")
        #expect(Self.time("2024-02-29").iso8601 == "2024-02-29T00:00:00+08:00")
        #expect(Self.time("2017-07-07T24:00:00").iso8601 == "2017-07-08T00:00:00+08:00")
        #expect(ChinaDateTime.parse("2023-02-29") == nil)
        #expect(ChinaDateTime.parse("2017-07-07T25:00") == nil)
        #expect(ChinaDateTime.parse("yesterday") == nil)
    }
}
