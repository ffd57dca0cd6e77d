import Campaign
import Ingest

/// Checks that need the pollutant catalogue of `Ingest`, on top of `Station.problems`.
public enum StationValidator {
    public static func problems(_ station: Station) -> [FieldProblem] {
        station.problems(pollutantProblem: pollutantProblem)
    }

    /// Unknown codes, and units that cannot be converted to the unit the code is stored in.
    public static func pollutantProblem(_ pollutant: ReportedPollutant, of station: Station) -> String? {
        let emission = station.kind == .sourceMonitor
        guard let info = PollutantCatalog.info(pollutant.code, emission: emission) else {
            return "未知的监测项目编码 \(pollutant.code) / unknown pollutant code \(pollutant.code)"
        }
        guard let unit = MeasurementUnit(text: pollutant.unit) else {
            return "无法识别的单位“\(pollutant.unit)” / unknown unit \"\(pollutant.unit)\""
        }
        guard unit.factor(to: info.unit) != nil else {
            let target = info.unit.symbol.isEmpty ? info.unit.rawValue : info.unit.symbol
            return "单位 \(pollutant.unit) 不能换算为 \(info.name)（\(info.code)）的存储单位 \(target)"
                + " / unit \(pollutant.unit) of \(info.code) cannot be converted to \(target)"
        }
        return nil
    }
}
