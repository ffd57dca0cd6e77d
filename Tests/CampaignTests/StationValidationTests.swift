import Campaign
import Testing

@Suite("Station validation")
struct StationValidationTests {
    static let good = Station(
        code: "1001A", name: "万寿西宫", kind: .national, coordinate: Coordinate(longitude: 116.3621, latitude: 39.8784),
        hj212: HJ212Identity(mn: "BJDEMO1001A", password: "123456"),
        pollutants: [ReportedPollutant(code: "a34004", unit: "ug/m3")])

    @Test func aGoodStationHasNoProblems() {
        #expect(Self.good.problems().isEmpty)
    }

    @Test func everyBadFieldIsNamedOnceWithAChineseFirstMessage() {
        // Given a station wrong in every field at once
        var station = Self.good
        station.code = ""
        station.name = "  "
        station.coordinate = Coordinate(longitude: 181, latitude: .nan)
        station.hj212 = HJ212Identity(mn: "MN WITH SPACE", password: "a=b", protocols: [])
        station.pollutants = [ReportedPollutant(code: "", unit: "ug/m3")]

        // When validated
        let problems = station.problems()

        // Then each field is named, in order, with a message that starts in Chinese
        #expect(
            problems.map(\.field) == [
                "code", "name", "longitude", "latitude", "hj212.mn", "hj212.password", "hj212.protocols",
                "pollutants[0].code",
            ])
        for problem in problems {
            #expect(problem.message.unicodeScalars.first.map { $0.value >= 0x2E80 } == true, "\(problem)")
            #expect(problem.message.contains(" / "), "\(problem)")
        }
    }

    /// HJ 212-2017 Table 3 says PW is 6 characters, but real devices send 24-hex passwords and MNs of
    /// 7–24+ characters (STANDARDS §4.13): 1–64 printable ASCII without the segment separators.
    @Test(
        arguments: [
            ("123456", true), ("0123456789ABCDEF01234567", true), ("LB4200001", true), ("aqms-1100-2020110011", true),
            (String(repeating: "x", count: 64), true), (String(repeating: "x", count: 65), false), ("", false),
            ("a;b", false), ("a,b", false), ("a&b", false), ("a=b", false), ("a b", false), ("密码", false),
        ])
    func deviceFieldsAcceptWhatRealLoggersSend(text: String, valid: Bool) {
        #expect(HJ212Identity.isValidDeviceField(text) == valid)
        let identity = HJ212Identity(mn: text, password: text)
        #expect(identity.problems().isEmpty == valid)
    }

    @Test(arguments: ["1001A", "BJ-micro_01", "a.b"])
    func plainCodesAreAccepted(code: String) {
        var station = Self.good
        station.code = code
        #expect(station.problems().isEmpty)
    }

    @Test(arguments: ["10 01A", "a/b", "站点1", "..", String(repeating: "A", count: 65)])
    func codesThatCannotSitInAURLAreRefused(code: String) {
        var station = Self.good
        station.code = code
        #expect(station.problems().map(\.field) == ["code"])
    }

    @Test func pollutantsAreCheckedByTheCallersCatalogueAndListedOnce() {
        var station = Self.good
        station.pollutants = [
            ReportedPollutant(code: "a34004", unit: "ug/m3"), ReportedPollutant(code: "zz999", unit: "ug/m3"),
            ReportedPollutant(code: "a34004", unit: "mg/m3"),
        ]
        let problems = station.problems { pollutant, _ in pollutant.code == "zz999" ? "未知 / unknown" : nil }
        #expect(
            problems == [
                FieldProblem(field: "pollutants[1]", message: "未知 / unknown"),
                FieldProblem(field: "pollutants[2].code", message: "监测项目 a34004 重复登记 / pollutant a34004 listed twice"),
            ])
    }

    @Test func aPatchChangesOnlyWhatItNames() {
        // Given a station with a region and an identity
        var station = Self.good
        station.regionCode = "110102"

        // When only the CRC policy and the name change
        let changed = StationPatch(name: "新名", hj212: .some(HJ212IdentityPatch(crcPolicy: .either))).applied(
            to: station)

        // Then the password and everything else stay
        #expect(changed.name == "新名")
        #expect(changed.hj212?.crcPolicy == .either)
        #expect(changed.hj212?.password == "123456")
        #expect(changed.regionCode == "110102")
        #expect(changed.coordinate == station.coordinate)

        // And explicit nulls clear
        let cleared = StationPatch(regionCode: .some(nil), hj212: .some(nil)).applied(to: station)
        #expect(cleared.regionCode == nil)
        #expect(cleared.hj212 == nil)

        // And an identity given to a station without one must bring its MN and password
        var bare = Self.good
        bare.hj212 = nil
        let half = StationPatch(hj212: .some(HJ212IdentityPatch(mn: "X1"))).applied(to: bare)
        #expect(half.problems().map(\.field) == ["hj212.password"])
    }
}
