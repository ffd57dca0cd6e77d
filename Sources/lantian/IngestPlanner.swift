import Foundation
import HJ212
import Ingest
import NIOCore
import Server

/// Turns data files into what simulated data loggers send: readings checked and converted like an import,
/// grouped by station, then encoded as HJ 212 upload packets (Flag A=1, one packet per station-hour).
enum IngestPlanner {
    enum Source: String, CaseIterable, Sendable {
        case beijing
        case cnemc
    }

    /// The readings of the files, by station code (codes sorted; each station's readings sorted by time).
    struct Series: Sendable {
        var stations: [(code: String, readings: [Reading])]
        var rows = 0
        var rejected = 0
        var missing = 0

        var readingCount: Int { stations.reduce(0) { $0 + $1.readings.count } }
    }

    /// The units the demo stations are registered with, i.e. what their loggers send: canonical units
    /// except pressure in hPa (`BeijingDemo.pollutants`).
    static let deviceUnits: [String: MeasurementUnit] = Dictionary(
        BeijingDemo.pollutants.compactMap { pollutant in
            MeasurementUnit(text: pollutant.unit).map { (pollutant.code, $0) }
        }
    ) { first, _ in first }

    /// Reads `files` in `source` format and checks each reading with `ReadingValidator` (default profile:
    /// canonical units, CO µg/m³ → mg/m³ for the Beijing files); rejected values are counted and left out.
    static func read(files: [String], source: Source, now: Int64) throws -> Series {
        var byStation: [String: [Reading]] = [:]
        var series = Series(stations: [])
        for file in files {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw DriverSetupError(
                    message: "无法读取 \(file)（须为 UTF-8 文本）/ cannot read \(file) as UTF-8: \(error.localizedDescription)")
            }
            let batch =
                switch source {
                case .beijing: BeijingMultiSiteFormat.parse(text)
                case .cnemc: CNEMCRealtimeFormat.parse(text)
                }
            series.rows += batch.rowCount
            series.missing += batch.missing
            series.rejected += batch.rejections.count
            for imported in batch.readings {
                let profile = StationReportingProfile(stationCode: imported.reading.stationCode)
                switch ReadingValidator.validate(imported.reading, profile: profile, now: now, unit: imported.unit) {
                case .success(let reading): byStation[reading.stationCode, default: []].append(reading)
                case .failure: series.rejected += 1
                }
            }
        }
        series.stations = byStation.keys.sorted().map { code in
            (code, byStation[code]!.sorted { ($0.time, $0.code) < ($1.time, $1.code) })
        }
        return series
    }

    /// The value as the device sends it: canonical → the unit its station is registered with.
    static func deviceReading(_ reading: Reading) -> Reading {
        guard let unit = deviceUnits[reading.code], let info = PollutantCatalog.info(reading.code),
            let factor = info.unit.factor(to: unit), factor != 1
        else { return reading }
        var converted = reading
        for keyPath in [\Reading.value, \.minimum, \.maximum, \.converted] {
            // Rounded so that 1023.5 hPa is not sent as 1023.5000000000001.
            converted[keyPath: keyPath] = reading[keyPath: keyPath].map { ($0 * factor * 1e6).rounded() / 1e6 }
        }
        return converted
    }

    /// The identity a device connects with and the station its data belongs to.
    struct DeviceIdentity: Sendable {
        var mn: String
        var stationCode: String
        /// Seconds added to every data time (devices beyond the number of stations replay shifted copies).
        var shift: Int64
    }

    /// Device `i` replays station `i mod count`; devices beyond the number of stations replay the same
    /// station with its data moved back by whole multiples of the series' span (plus a day), so that no
    /// two devices send the same station-hour.
    static func identities(series: Series, devices: Int, mnPrefix: String) -> [DeviceIdentity] {
        let count = series.stations.count
        guard count > 0 else { return [] }
        let times = series.stations.flatMap { [$0.readings.first?.time, $0.readings.last?.time] }.compactMap { $0 }
        let span = ((times.max()! - times.min()!) / 86_400 + 2) * 86_400
        return (0..<devices).map { index in
            let code = series.stations[index % count].code
            return DeviceIdentity(mn: mnPrefix + code, stationCode: code, shift: -Int64(index / count) * span)
        }
    }

    /// Encodes each device's readings as HJ 212 hour (or other period) uploads, one packet per data time.
    /// QNs start at `sentAt` (milliseconds) and increase by one per packet.
    static func plans(
        series: Series, identities: [DeviceIdentity], password: String, version: ProtocolVersion, sentAt: Int64,
        recording: Bool
    ) throws -> [DevicePlan] {
        let byCode = Dictionary(series.stations.map { ($0.code, $0.readings) }) { first, _ in first }
        var plans: [DevicePlan] = []
        plans.reserveCapacity(identities.count)
        for identity in identities {
            let readings = (byCode[identity.stationCode] ?? []).map { reading in
                var shifted = deviceReading(reading)
                shifted.time += identity.shift
                return shifted
            }
            plans.append(
                try plan(
                    readings: readings, mn: identity.mn, stationCode: identity.stationCode, password: password,
                    version: version, sentAt: sentAt, recording: recording))
        }
        return plans
    }

    /// One device's packets: its readings (sorted by time) grouped per period and time.
    static func plan(
        readings: [Reading], mn: String, stationCode: String, password: String, version: ProtocolVersion,
        sentAt: Int64, recording: Bool
    ) throws -> DevicePlan {
        var simulator = HJ212Simulator(
            device: SimulatedDevice(mn: mn, password: password, systemCode: .ambientAir, version: version))
        let encoder = HJ212Encoder()
        var packets: [PlannedPacket] = []
        var start = readings.startIndex
        while start < readings.endIndex {
            var end = start + 1
            while end < readings.endIndex, readings[end].time == readings[start].time,
                readings[end].period == readings[start].period
            {
                end += 1
            }
            let group = Array(readings[start..<end])
            for packet in try simulator.packets(for: group, sentAt: sentAt) {
                let items = packet.cp.readings
                var record: String?
                if recording {
                    let values = items.compactMap { item -> String? in
                        guard let value = item.fields.first(where: { $0.key == "Avg" || $0.key == "Rtd" })?.value
                        else { return nil }
                        return "\(item.code)=\(value)"
                    }
                    record = [
                        stationCode, group[0].period.rawValue, String(group[0].time), packet.qn ?? "",
                        values.joined(separator: ","),
                    ].joined(separator: "\t")
                }
                packets.append(
                    PlannedPacket(
                        frame: ByteBuffer(bytes: try encoder.encode(packet)), qn: packet.qn ?? "",
                        time: group[0].time, values: items.count, record: record))
            }
            start = end
        }
        return DevicePlan(mn: mn, stationCode: stationCode, packets: packets)
    }
}
