import Foundation
import HJ212
import Testing

@Suite("DataTime / QN timestamps")
struct TimestampTests {
    @Test
    func fourteenAndSeventeenDigitForms() throws {
        let plain = try HJ212Timestamp("20160824003817")
        #expect(plain == (try HJ212Timestamp(year: 2016, month: 8, day: 24, hour: 0, minute: 38, second: 17)))
        #expect(plain.millisecond == nil)
        // The 17-digit form real devices put in DataTime (rxlee/hj-t212-parser, chenqi92).
        let withMillis = try HJ212Timestamp("20160824003817000")
        #expect(withMillis.millisecond == 0)
        #expect(withMillis.text == "20160824003817000")
        #expect(try HJ212Timestamp("20160801085857223").millisecond == 223)
    }

    @Test(arguments: [
        "2016082400381", "201608240038170", "2016082400381x", "20160230000000", "20161301000000",
        "20160801240000", "20160801006000", "20160801000060", "20150229000000", "",
    ])
    func invalidTimestampsAreRejected(_ text: String) {
        #expect(throws: HJ212Error.self) { try HJ212Timestamp(text) }
    }

    @Test
    func leapDayIsValid() throws {
        #expect(try HJ212Timestamp("20240229120000").day == 29)
    }

    @Test
    func chinaLocalTimeConvertsToUTC() throws {
        // 2016-08-01 08:58:57 in UTC+8 is 00:58:57Z.
        let time = try HJ212Timestamp("20160801085857223")
        let date = time.date(utcOffsetSeconds: HJ212Timestamp.chinaUTCOffsetSeconds)
        #expect(date == Date(timeIntervalSince1970: 1_470_013_137.223))
        #expect(time.date(utcOffsetSeconds: 0).timeIntervalSince(date) == 8 * 3600)
    }

    @Test
    func conversionAgreesWithFoundationCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(secondsFromGMT: 8 * 3600))
        for text in ["19700101080000", "20000229235959", "20231231160000", "20260301000000", "21000301000000"] {
            let time = try HJ212Timestamp(text)
            let components = DateComponents(
                year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute,
                second: time.second)
            #expect(time.date(utcOffsetSeconds: 8 * 3600) == calendar.date(from: components), "\(text)")
        }
    }

    @Test
    func malformedDataTimeIsReportedWhenAsked() throws {
        let cp = CPData(text: "DataTime=2016080108;a34004-Rtd=1")
        #expect(throws: HJ212Error.invalidTimestamp("2016080108", reason: "需要 14 或 17 位数字 / expected 14 or 17 digits"))
        {
            try cp.dataTime
        }
        #expect(try CPData(text: "a=1").dataTime == nil)
    }

    @Test
    func timestampsOrder() throws {
        #expect(try HJ212Timestamp("20160801085857") < HJ212Timestamp("20160801085858"))
        #expect(try HJ212Timestamp("20161231235959999") > HJ212Timestamp("20161231235959000"))
    }
}
