import Campaign
import Foundation
import Store

/// The Beijing demo of DESIGN.md: the 12 real national stations of the UCI Beijing multi-site series,
/// the districts they stand in as responsible units, and a clearly labelled demo HQ.
///
/// The station list is committed in `Resources/Demo/beijing-stations.csv` (taken verbatim from the
/// national station list in `../shared/data/stations/`), so a fresh clone can seed without the shared data.
public struct BeijingDemo: Sendable, Equatable {
    public var regions: [Region]
    public var units: [ResponsibleUnit]
    public var stations: [Station]

    public static let cityCode = "110000"
    public static let commandUnitCode = "BJ-HQ"

    /// The HJ 212 password of every demo data logger (the standard's example `PW=123456`). Demo only.
    public static let devicePassword = "123456"

    /// The MN a demo station's data logger sends: `BJDEMO` + the station code, e.g. `BJDEMO1001A`.
    public static func mn(forStationCode code: String) -> String { "BJDEMO" + code }

    /// What every demo station reports: the six AQI pollutants, then temperature, pressure and wind speed
    /// (code order, as the registry returns them).
    public static let pollutants: [ReportedPollutant] =
        (NationalStationList.aqiPollutants + [
            ReportedPollutant(code: "a01001", unit: "C"),
            ReportedPollutant(code: "a01006", unit: "hPa"),
            ReportedPollutant(code: "a01007", unit: "m/s"),
        ]).sorted { $0.code < $1.code }

    /// The identity the demo replay and `lantian simulate` connect with: every edition, either CRC, tolerant.
    public static func identity(forStationCode code: String) -> HJ212Identity {
        HJ212Identity(
            mn: mn(forStationCode: code), password: devicePassword,
            protocols: Set(HJ212ProtocolEdition.allCases), crcPolicy: .either, tolerant: true)
    }

    /// Loads the demo from the committed CSV under `resourcesDirectory`.
    public static func load(resourcesDirectory: String) throws -> BeijingDemo {
        let path = resourcesDirectory + (resourcesDirectory.hasSuffix("/") ? "" : "/") + "Demo/beijing-stations.csv"
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DemoError(message: "找不到演示站点文件 \(path)（请在仓库根目录运行）/ demo station file missing: \(error)")
        }
        return try parse(csv: text)
    }

    /// Builds the demo structure from the station CSV (`#` lines are comments).
    public static func parse(csv: String) throws -> BeijingDemo {
        let lines = csv.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        guard let header = lines.first?.split(separator: ",").map(String.init) else {
            throw DemoError(message: "演示站点文件为空 / the demo station file is empty")
        }
        let required = ["code", "name", "longitude", "latitude", "district_code", "district_name"]
        let index = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        let missing = required.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw DemoError(message: "演示站点文件缺少列 / missing columns: \(missing.joined(separator: ", "))")
        }
        var districts: [String: String] = [:]
        var stations: [Station] = []
        for (offset, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func field(_ name: String) -> String { fields.indices.contains(index[name]!) ? fields[index[name]!] : "" }
            guard let longitude = Double(field("longitude")), let latitude = Double(field("latitude")) else {
                throw DemoError(message: "第 \(offset + 2) 行坐标无效 / bad coordinates on data row \(offset + 1)")
            }
            let districtCode = field("district_code")
            districts[districtCode] = field("district_name")
            stations.append(
                Station(
                    code: field("code"),
                    name: field("name"),
                    kind: .national,
                    coordinate: Coordinate(longitude: longitude, latitude: latitude),
                    regionCode: districtCode,
                    responsibleUnitCode: unitCode(forDistrict: districtCode),
                    hj212: identity(forStationCode: field("code")),
                    pollutants: pollutants
                ))
        }
        let city = Region(code: cityCode, name: "北京市", level: .city)
        let districtRegions = districts.sorted { $0.key < $1.key }.map {
            Region(code: $0.key, name: $0.value, level: .county, parentCode: cityCode)
        }
        let command = ResponsibleUnit(
            code: commandUnitCode, name: "北京市大气污染防治攻坚行动指挥部（演示）", kind: .command, regionCode: cityCode)
        let districtUnits = districtRegions.map {
            ResponsibleUnit(
                code: unitCode(forDistrict: $0.code), name: "\($0.name)人民政府", kind: .county,
                regionCode: $0.code, parentCode: commandUnitCode)
        }
        return BeijingDemo(regions: [city] + districtRegions, units: [command] + districtUnits, stations: stations)
    }

    static func unitCode(forDistrict code: String) -> String { "GOV-\(code)" }

    /// Writes the demo in one transaction; running it again changes nothing.
    public func seed(into repository: OrganisationRepository, now: Date = Date()) async throws {
        try await repository.upsert(regions: regions, units: units, stations: stations)
        try await DemoOrganisation().seed(into: repository, now: now)
    }
}

public struct DemoError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
