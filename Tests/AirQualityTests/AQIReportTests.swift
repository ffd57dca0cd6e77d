import AirQuality
import Testing

struct AQIReportTests {
    static let csv = """
        station,time,SO2,NO2,CO,O3,PM10,PM2.5
        A,2026-02-28T23:00:00+08:00,5,20,0.5,60,40,76
        B,2026-03-01T01:00:00+08:00,5,20,0.5,60,40,76
        C,2026-03-01T02:00:00+08:00,5,20,,60,40,20
        D,2026-03-01T03:00:00+08:00,5,abc,0.5,60,40,20
        E,not-a-time,5,20,0.5,60,40,20
        F,2026-03-01T04:00:00+08:00,,,,,,
        G,2019-07-18T14:00:00,5,20,0.5,60,700,20

        """

    @Test
    func genericCSVPrintsEveryRowAndExplainsProblems() {
        // Given the generic CSV format  When reported with auto rules in real-time mode
        let report = AQIReport.make(text: Self.csv, format: .csv, rules: .auto, mode: .realtime)
        let lines = report.csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Then every row prints, under the rule set of its date
        #expect(lines[0] == "station,time,aqi,level,category,primary_pollutants")
        #expect(lines[1] == "A,2026-02-28T23:00:00+08:00,102,三级,轻度污染,PM2.5")
        #expect(lines[2] == "B,2026-03-01T01:00:00+08:00,115,三级,轻度污染,PM2.5")
        #expect(lines[3] == "C,2026-03-01T02:00:00+08:00,,,,")  // 2026 incomplete data: NA
        #expect(lines[4] == "D,2026-03-01T03:00:00+08:00,,,,")
        #expect(lines[5] == "E,,,,,")
        #expect(lines[6] == "F,2026-03-01T04:00:00+08:00,,,,")
        #expect(lines[7] == "G,2019-07-18T14:00:00+08:00,,六级,严重污染,PM10")
        #expect(lines.count == 9 && lines[8].isEmpty)
        // And each row that lacks an AQI has a problem naming the line and field
        let byLine = Dictionary(grouping: report.problems, by: \.line)
        #expect(byLine[4]?.first?.message.contains("NA") == true)
        #expect(byLine[5]?.contains { $0.field == "NO2" && $0.message.contains("abc") } == true)
        #expect(byLine[6]?.contains { $0.field == "time" } == true)
        #expect(byLine[7]?.isEmpty == false)
        #expect(byLine[8]?.contains { $0.field == "PM10" && $0.message.contains("600") } == true)
        #expect(byLine[2] == nil && byLine[3] == nil)
    }

    @Test
    func fixedRulesAndDailyMode() {
        let text = """
            station,time,SO2,NO2,CO,O3_8h,PM10,PM2.5
            X,2026-03-01,10,30,1.0,150,60,76
            """
        let old = AQIReport.make(text: text, format: .csv, rules: .fixed(.hj633_2012), mode: .daily)
        let new = AQIReport.make(text: text, format: .csv, rules: .auto, mode: .daily)
        #expect(old.csv.contains("X,2026-03-01T00:00:00+08:00,102,三级,轻度污染,PM2.5"))
        #expect(new.csv.contains("X,2026-03-01T00:00:00+08:00,115,三级,轻度污染,PM2.5"))
        #expect(new.problems.isEmpty)
    }

    @Test
    func cnemcFormatReadsTheSwappedOzoneColumnAndQuotesTies() {
        // Given a CNEMC row whose `O3` column (24 h max) is higher than `O3_24h` (latest hour)
        let text = """
            TimePoint,StationCode,PositionName,Area,CityCode,ProvinceId,Longitude,Latitude,AQI,Quality,PrimaryPollutant,PM2_5,PM2_5_24h,PM10,PM10_24h,SO2,SO2_24h,NO2,NO2_24h,CO,CO_24h,O3,O3_24h,O3_8h,O3_8h_24h,IsPublish
            2019-07-18T12:00:00,1357A,洪湖,深圳市,0,0,114.117,22.5625,72,良,"细颗粒物(PM2.5),臭氧1小时",52,50,80,80,6,6,18,44,0.8,0.8,311,177,85,85,true
            """
        let report = AQIReport.make(text: text, format: .cnemc, rules: .auto, mode: .realtime)
        // Then the latest hour (177 → 72) is used, tying PM2.5 52 → 72, printed as CNEMC does
        #expect(report.csv.contains("1357A,2019-07-18T12:00:00+08:00,72,二级,良,\"细颗粒物(PM2.5),臭氧1小时\""))
        #expect(report.problems.isEmpty)
    }

    @Test
    func missingColumnsAndEmptyInputAreReported() {
        #expect(AQIReport.make(text: "", format: .csv).problems.count == 1)
        let report = AQIReport.make(text: "station,time,PM2.5\nA,2025-01-01T01:00,40\n", format: .csv)
        #expect(report.problems.filter { $0.line == 1 }.count == 5)  // SO2, NO2, CO, O3, PM10
        #expect(report.csv.contains("A,2025-01-01T01:00:00+08:00,57,二级,良,PM2.5"))
    }
}
