/// Units that stations report in. Conversion only within a dimension; a device configured in one unit
/// is converted to the code's canonical unit at ingest, so every stored value of a code is comparable.
public enum MeasurementUnit: String, CaseIterable, Sendable, Hashable, Codable {
    case microgramPerCubicMetre = "ug/m3"
    case milligramPerCubicMetre = "mg/m3"
    case nanogramPerCubicMetre = "ng/m3"
    case degreeCelsius = "C"
    case percent = "%"
    case kilopascal = "kPa"
    case hectopascal = "hPa"
    case metrePerSecond = "m/s"
    case degree = "deg"
    case cubicMetrePerSecond = "m3/s"
    case litrePerSecond = "L/s"
    case milligramPerLitre = "mg/L"
    case decibel = "dB"
    case none = "-"

    /// Accepts the spellings people write: `µg/m³`, `ug/m3`, `μg/m3`, `mg/m³`, `°C`, `hPa`…
    public init?(text: String) {
        let normalised = text.trimmingSpaces()
            .replacingAll("³", with: "3").replacingAll("µ", with: "u").replacingAll("μ", with: "u")
            .replacingAll("°", with: "").replacingAll("℃", with: "C")
        if let unit = MeasurementUnit(rawValue: normalised) {
            self = unit
            return
        }
        switch normalised.lowercased() {
        case "ug/m3": self = .microgramPerCubicMetre
        case "mg/m3": self = .milligramPerCubicMetre
        case "ng/m3": self = .nanogramPerCubicMetre
        case "c", "degc": self = .degreeCelsius
        case "kpa": self = .kilopascal
        case "hpa", "mbar": self = .hectopascal
        case "m/s": self = .metrePerSecond
        case "deg", "degree", "degrees": self = .degree
        case "m3/s": self = .cubicMetrePerSecond
        case "l/s": self = .litrePerSecond
        case "mg/l": self = .milligramPerLitre
        case "db", "db(a)": self = .decibel
        case "", "none": self = .none
        default: return nil
        }
    }

    /// The symbol shown to users.
    public var symbol: String {
        switch self {
        case .microgramPerCubicMetre: "µg/m³"
        case .milligramPerCubicMetre: "mg/m³"
        case .nanogramPerCubicMetre: "ng/m³"
        case .degreeCelsius: "°C"
        case .percent: "%"
        case .kilopascal: "kPa"
        case .hectopascal: "hPa"
        case .metrePerSecond: "m/s"
        case .degree: "°"
        case .cubicMetrePerSecond: "m³/s"
        case .litrePerSecond: "L/s"
        case .milligramPerLitre: "mg/L"
        case .decibel: "dB"
        case .none: ""
        }
    }

    /// Factor that turns a value in `self` into `target`, or nil when the dimensions differ.
    public func factor(to target: MeasurementUnit) -> Double? {
        if self == target { return 1 }
        let mass: [MeasurementUnit: Double] = [
            .nanogramPerCubicMetre: 1e-3, .microgramPerCubicMetre: 1, .milligramPerCubicMetre: 1e3,
        ]
        if let from = mass[self], let to = mass[target] { return from / to }
        let pressure: [MeasurementUnit: Double] = [.hectopascal: 0.1, .kilopascal: 1]
        if let from = pressure[self], let to = pressure[target] { return from / to }
        return nil
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
