import Testing

@testable import Ingest

@Suite struct ISO8601TimeTests {
    @Test(arguments: [
        ("2024-01-05T08:00:00+08:00", Int64(1_704_412_800)),
        ("2024-01-05T00:00:00Z", 1_704_412_800),
        ("2024-01-04T19:00:00-05:00", 1_704_412_800),
        ("2024-01-05T08:00:00.999+08:00", 1_704_412_800),  // fraction truncated
        ("2024-01-05T08:00:00.5Z", 1_704_441_600),
        ("2024-01-05 08:00:00+08:00", 1_704_412_800),  // space for T
        ("2024-01-05T08:00+08:00", 1_704_412_800),  // no seconds
        ("2024-02-29T12:00:00+08:00", 1_709_179_200),  // leap day
        ("2000-02-29T00:00:00Z", 951_782_400),  // leap day of a /400 year
        ("1969-12-31T23:59:59Z", -1),
        ("2024-03-01T05:30:00+05:30", 1_709_251_200),
        ("2023-12-31T16:00:00-08:00", 1_704_067_200),  // crosses the year in UTC
        ("  2024-01-05T08:00:00+08:00 ", 1_704_412_800),
    ])
    func parses(text: String, seconds: Int64) throws {
        #expect(try ISO8601Time.parse(text).get() == seconds)
    }

    @Test(arguments: [
        "2024-01-05T08:00:00",  // no offset
        "2024-01-05",  // a date is not an instant
        "2024-01-05T08:00:00+0800",  // basic-format offset
        "2024-01-05T08:00:00+15:00",  // no such zone
        "2024-01-05T08:00:00+08:60",
        "2023-02-29T00:00:00Z",  // not a leap year
        "2024-13-01T00:00:00Z",
        "2024-01-05T25:00:00Z",
        "2024-01-05T08:61:00Z",
        "20240105080000",  // HJ 212 N14 carries no offset
        "yesterday",
        "",
    ])
    func rejects(text: String) {
        guard case .failure(let reason) = ISO8601Time.parse(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(reason.kind == "bad_time")
    }

    @Test func missingOffsetSaysSo() {
        guard case .failure(let reason) = ISO8601Time.parse("2024-01-05T08:00:00") else {
            Issue.record("accepted a time without offset")
            return
        }
        #expect(reason.description.contains("缺少时区偏移"))
        #expect(reason.description.contains("missing UTC offset"))
    }

    @Test(arguments: [
        (Int64(1_704_412_800), "2024-01-05T08:00:00+08:00"),
        (1_709_179_200, "2024-02-29T12:00:00+08:00"),
        (0, "1970-01-01T08:00:00+08:00"),
        (-1, "1970-01-01T07:59:59+08:00"),
        (1_704_038_400, "2024-01-01T00:00:00+08:00"),
    ])
    func formatsInChinaTime(seconds: Int64, text: String) throws {
        #expect(ISO8601Time.format(seconds) == text)
        #expect(try ISO8601Time.parse(text).get() == seconds)
    }
}
