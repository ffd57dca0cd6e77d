import AirQuality
import Campaign
import Foundation
import Ingest
import Store
import Vapor

/// Readings in and out: `POST /api/v1/readings` (JSON batches), raw readings and AQI per station and
/// region, and the latest values of every station.
struct ReadingController {
    let metrics: AppMetrics

    /// Most rows one batch may carry; larger uploads belong in `lantian import readings`.
    static let maximumBatchRows = 50_000

    func register(on routes: any RoutesBuilder) {
        routes.on(.POST, "readings", body: .collect(maxSize: "32mb"), use: ingest)
        routes.get("stations", ":code", "readings", use: readings)
        routes.get("stations", ":code", "aqi", use: stationAQI)
        routes.get("regions", ":code", "aqi", use: regionAQI)
        routes.get("latest", use: latest)
    }

    // MARK: Ingest

    /// One element of a batch: a row, or why it could not even be read as one.
    struct BatchElement: Decodable {
        let row: Result<ReadingRow, RejectionReason>

        init(from decoder: any Decoder) throws {
            do {
                row = .success(try ReadingRow(from: decoder))
            } catch let DecodingError.keyNotFound(key, _) {
                row = .failure(.missingField(key.stringValue))
            } catch let DecodingError.typeMismatch(_, context) {
                let field = context.codingPath.last?.stringValue ?? "row"
                row = .failure(.malformed("字段 \(field) 类型错误 / field \(field) has the wrong type"))
            } catch {
                row = .failure(.malformed("无法读取该行 / unreadable row"))
            }
        }
    }

    struct RejectedRow: Content {
        var index: Int
        var station: String?
        var code: String?
        var kind: String
        var reason: String
    }

    struct IngestResponse: Content {
        var received: Int
        var accepted: Int
        var inserted: Int
        var duplicates: Int
        var rejected: [RejectedRow]
    }

    @Sendable func ingest(_ request: Request) async throws -> Response {
        let elements: [BatchElement]
        do {
            elements = try request.content.decode([BatchElement].self, using: JSONDecoder())
        } catch {
            throw Abort(
                .badRequest,
                reason: "请求体应为读数的 JSON 数组 / the body must be a JSON array of readings: \(error.localizedDescription)")
        }
        guard elements.count <= Self.maximumBatchRows else {
            throw Abort(
                .payloadTooLarge,
                reason:
                    "一批最多 \(Self.maximumBatchRows) 条，收到 \(elements.count) 条；大文件请用 lantian import readings / at most \(Self.maximumBatchRows) rows per batch"
            )
        }
        let validator = try await IngestRuntime.validator(on: request.db)
        let now = IngestRuntime.now()
        var accepted: [Reading] = []
        var rejected: [RejectedRow] = []
        for (index, element) in elements.enumerated() {
            let result: Result<Reading, RejectionReason> = element.row
                .flatMap { $0.imported(source: .http) }
                .flatMap { imported in validator.validate(imported.reading, now: now, unit: imported.unit) }
            switch result {
            case .success(let reading):
                accepted.append(reading)
            case .failure(let reason):
                let row = try? element.row.get()
                rejected.append(
                    RejectedRow(
                        index: index, station: row?.station, code: row?.code, kind: reason.kind,
                        reason: reason.description))
                metrics.recordRejection(source: .http, kind: reason.kind)
            }
        }
        if !rejected.isEmpty {
            request.logger.notice(
                "读数批次中有被拒绝的行 / rows rejected from a readings batch",
                metadata: [
                    "received": "\(elements.count)", "rejected": "\(rejected.count)",
                    "first": "\(rejected[0].station ?? "-") #\(rejected[0].index): \(rejected[0].kind)",
                ])
        }
        // Acknowledge only what is committed: `store` returns after the transaction commits.
        let outcome = try await request.application.ingest.store.store(accepted)
        let body = IngestResponse(
            received: elements.count, accepted: accepted.count, inserted: outcome.inserted,
            duplicates: outcome.duplicates, rejected: rejected)
        let status: HTTPStatus = accepted.isEmpty && !elements.isEmpty ? .unprocessableEntity : .ok
        return try await body.encodeResponse(status: status, for: request)
    }

    // MARK: Reads

    struct ReadingResponse: Content {
        var time: String
        var period: String
        var code: String
        var name: String?
        var unit: String?
        var value: Double?
        var minimum: Double?
        var maximum: Double?
        var cumulative: Double?
        var converted: Double?
        var flag: String
        var flagName: String
        var source: String
    }

    struct ReadingsResponse: Content {
        var station: String
        var period: String
        var from: String
        var to: String
        var readings: [ReadingResponse]
    }

    @Sendable func readings(_ request: Request) async throws -> ReadingsResponse {
        // Raw readings are scoped like the station registry: out of scope reads as unknown (404).
        let station = try await existingStation(request, scope: request.accessScope)
        let period = try Self.period(request, default: .hour)
        let range = try Self.range(request, period: period)
        let codes = (request.query[String.self, at: "code"] ?? "").split(separator: ",").map(String.init)
        let rows = try await ReadingQueries(database: request.db).readings(
            station: station, period: period, from: range.from, to: range.to, codes: codes)
        return ReadingsResponse(
            station: station, period: period.rawValue, from: ISO8601Time.format(range.from),
            to: ISO8601Time.format(range.to),
            readings: rows.map { reading in
                let info = PollutantCatalog.info(reading.code)
                return ReadingResponse(
                    time: ISO8601Time.format(reading.time), period: reading.period.rawValue, code: reading.code,
                    name: info?.name, unit: info?.unit.symbol, value: reading.value, minimum: reading.minimum,
                    maximum: reading.maximum, cumulative: reading.cumulative, converted: reading.converted,
                    flag: reading.flag, flagName: DataFlagNames.name(reading.flag), source: reading.source.rawValue)
            })
    }

    struct AQIResponse: Content {
        var aqi: Int?
        var level: Int?
        var category: String?
        var colour: String?
        var primaryPollutants: [String]
        var missing: [String]
        var ruleSet: String

        init(_ stored: StoredAQI) {
            aqi = stored.aqi
            level = stored.level
            let aqiLevel = stored.level.flatMap(AQILevel.init(rawValue:))
            category = aqiLevel?.chineseCategory
            colour = aqiLevel?.colour.hex
            primaryPollutants = stored.primaryPollutants
            missing = stored.missing
            ruleSet = stored.ruleSet
        }
    }

    struct ValueResponse: Content {
        var code: String
        var name: String?
        var unit: String?
        var value: Double?
        var valid: Bool
        var flag: String?
        var samples: Int?
        var basis: String?
        var maxOneHour: Double?
        var maxEightHour: Double?
    }

    struct PeriodResponse: Content {
        /// Start of the hour or day (ISO 8601, China time).
        var start: String
        /// End of the hour or day: the label CNEMC publishes an hourly value under.
        var end: String
        var aqi: AQIResponse?
        var values: [ValueResponse]
    }

    struct AQISeriesResponse: Content {
        var station: String?
        var region: String?
        /// For a region: the stations whose values were averaged.
        var stations: [String]?
        var period: String
        var from: String
        var to: String
        var items: [PeriodResponse]
    }

    @Sendable func stationAQI(_ request: Request) async throws -> AQISeriesResponse {
        let station = try await existingStation(request)
        let period = try Self.aqiPeriod(request)
        let range = try Self.range(request, period: period)
        let queries = ReadingQueries(database: request.db)
        let items =
            period == .day
            ? try await queries.daily(station: station, from: range.from, to: range.to).map(Self.period)
            : try await queries.hourly(station: station, from: range.from, to: range.to).map(Self.period)
        return AQISeriesResponse(
            station: station, period: period.rawValue, from: ISO8601Time.format(range.from),
            to: ISO8601Time.format(range.to), items: items)
    }

    @Sendable func regionAQI(_ request: Request) async throws -> AQISeriesResponse {
        let region = try request.parameters.require("code")
        guard try await OrganisationRepository(database: request.db).regions().contains(where: { $0.code == region })
        else {
            throw Abort(.notFound, reason: "区域 \(region) 不存在 / no region with code \(region)")
        }
        let period = try Self.aqiPeriod(request)
        let range = try Self.range(request, period: period)
        let queries = ReadingQueries(database: request.db)
        let stations = try await queries.stations(inRegion: region)
        let items =
            period == .day
            ? try await queries.regionDaily(stations: stations, from: range.from, to: range.to).map(Self.period)
            : try await queries.regionHourly(stations: stations, from: range.from, to: range.to).map(Self.period)
        return AQISeriesResponse(
            region: region, stations: stations, period: period.rawValue, from: ISO8601Time.format(range.from),
            to: ISO8601Time.format(range.to), items: items)
    }

    struct LatestValueResponse: Content {
        var code: String
        var name: String?
        var unit: String?
        var time: String
        var period: String
        var value: Double?
        var flag: String
        var flagName: String
    }

    struct LatestStationResponse: Content {
        var station: String
        var name: String
        var kind: String
        var longitude: Double
        var latitude: Double
        var status: String
        /// Start of the newest hour with an AQI.
        var aqiHour: String?
        var aqi: AQIResponse?
        var values: [LatestValueResponse]
    }

    @Sendable func latest(_ request: Request) async throws -> [LatestStationResponse] {
        let queries = ReadingQueries(database: request.db)
        let stations = try await OrganisationRepository(database: request.db).stations()
        let values = Dictionary(grouping: try await queries.latestValues(), by: \.stationCode)
        let aqis = Dictionary(uniqueKeysWithValues: try await queries.latestAQI().map { ($0.stationCode, $0) })
        return stations.map { station in
            let aqi = aqis[station.code]
            return LatestStationResponse(
                station: station.code, name: station.name, kind: station.kind.rawValue,
                longitude: station.coordinate.longitude, latitude: station.coordinate.latitude,
                status: station.status.rawValue, aqiHour: aqi.map { ISO8601Time.format($0.hourStart) },
                aqi: aqi.map { AQIResponse($0.aqi) },
                values: (values[station.code] ?? []).map { value in
                    let info = PollutantCatalog.info(value.code)
                    return LatestValueResponse(
                        code: value.code, name: info?.name, unit: info?.unit.symbol,
                        time: ISO8601Time.format(value.time),
                        period: value.period.rawValue, value: value.value, flag: value.flag,
                        flagName: DataFlagNames.name(value.flag))
                })
        }
    }

    // MARK: Helpers

    func existingStation(_ request: Request, scope: AccessScope = .all) async throws -> String {
        let code = try request.parameters.require("code")
        guard try await StationRepository(database: request.db).station(code: code, scope: scope) != nil else {
            throw Abort(.notFound, reason: "站点 \(code) 不存在 / no station with code \(code)")
        }
        return code
    }

    static func period(_ request: Request, default fallback: ReadingPeriod) throws -> ReadingPeriod {
        guard let text = request.query[String.self, at: "period"] else { return fallback }
        guard let period = ReadingPeriod(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw Abort(
                .badRequest,
                reason: "period 应为 realtime、minute、hour 或 day，收到 \(text) / period must be realtime, minute, hour or day"
            )
        }
        return period
    }

    static func aqiPeriod(_ request: Request) throws -> ReadingPeriod {
        let period = try period(request, default: .hour)
        guard period == .hour || period == .day else {
            throw Abort(.badRequest, reason: "AQI 的 period 应为 hour 或 day / AQI period must be hour or day")
        }
        return period
    }

    /// Longest range one request may ask for, by period.
    static func maximumSpan(_ period: ReadingPeriod) -> Int64 {
        switch period {
        case .realtime, .minute: 7 * 86_400
        case .hour: 366 * 86_400
        case .day: 10 * 366 * 86_400
        }
    }

    /// `from`/`to` (ISO 8601 with an offset); defaults: the last 24 hours, or 30 days for daily data.
    static func range(_ request: Request, period: ReadingPeriod) throws -> (from: Int64, to: Int64) {
        func time(_ name: String) throws -> Int64? {
            guard let text = request.query[String.self, at: name] else { return nil }
            switch ISO8601Time.parse(text) {
            case .success(let seconds): return seconds
            case .failure(let reason): throw Abort(.badRequest, reason: "\(name): \(reason.description)")
            }
        }
        let to = try time("to") ?? IngestRuntime.now() + 1
        let from = try time("from") ?? (to - (period == .day ? 30 * 86_400 : 86_400))
        guard from < to else { throw Abort(.badRequest, reason: "from 须早于 to / from must be before to") }
        guard to - from <= maximumSpan(period) else {
            throw Abort(
                .badRequest,
                reason:
                    "时间范围过长（\(period.rawValue) 最多 \(maximumSpan(period) / 86_400) 天）/ range too long for \(period.rawValue)"
            )
        }
        return (from, to)
    }

    static func period(_ record: HourlyRecord) -> PeriodResponse {
        PeriodResponse(
            start: ISO8601Time.format(record.hourStart), end: ISO8601Time.format(record.hourStart + 3600),
            aqi: record.aqi.map(AQIResponse.init),
            values: record.values.map { value in
                let info = PollutantCatalog.info(value.code)
                return ValueResponse(
                    code: value.code, name: info?.name, unit: info?.unit.symbol, value: value.value, valid: value.valid,
                    flag: value.flag, samples: value.samples, basis: value.basis.rawValue)
            })
    }

    static func period(_ record: DailyRecord) -> PeriodResponse {
        PeriodResponse(
            start: ISO8601Time.format(record.dayStart), end: ISO8601Time.format(record.dayStart + 86_400),
            aqi: record.aqi.map(AQIResponse.init),
            values: record.values.map { value in
                let info = PollutantCatalog.info(value.code)
                return ValueResponse(
                    code: value.code, name: info?.name, unit: info?.unit.symbol, value: value.mean,
                    valid: value.mean != nil, samples: value.hours, maxOneHour: value.maxOneHour,
                    maxEightHour: value.maxEightHour)
            })
    }
}
