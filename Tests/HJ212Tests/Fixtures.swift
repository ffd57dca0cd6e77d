import Foundation
import HJ212

/// Reads the HJ 212 fixture files from `Tests/Fixtures/hj212`, found by walking up from this file
/// to the folder holding `Package.swift` and `Tests/Fixtures` (works in the main package and in a
/// development package that links these folders).
enum Fixtures {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let manager = FileManager.default
        while url.path != "/" {
            let fixtures = url.appendingPathComponent("Tests/Fixtures/hj212")
            if manager.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
                manager.fileExists(atPath: fixtures.path)
            {
                return fixtures
            }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "Tests/Fixtures/hj212")
    }()

    static func lines(_ name: String) -> [String] {
        let url = directory.appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
    }

    /// A packet from `packets.txt` with the CRC algorithm its comment names.
    struct Packet: Sendable, CustomStringConvertible {
        let line: Int
        let text: String
        let comment: String
        let algorithm: CRCAlgorithm

        var description: String { "packets.txt:\(line) \(text.prefix(48))…" }
    }

    static let packets: [Packet] = {
        var result: [Packet] = []
        var comment = ""
        for (index, line) in lines("packets.txt").enumerated() {
            if line.hasPrefix("#") && !line.hasPrefix("##") {
                comment = line
            } else if line.hasPrefix("##") {
                result.append(Packet(line: index + 1, text: line, comment: comment, algorithm: algorithm(in: comment)))
            }
        }
        return result
    }()

    static func algorithm(in comment: String) -> CRCAlgorithm {
        if comment.contains("crc: CRC-16/MODBUS, printed low byte first") { return .modbusLowByteFirst }
        if comment.contains("crc: CRC-16/MODBUS, printed high byte first") { return .modbusHighByteFirst }
        return .hj212
    }

    /// A packet from `packets-invalid.txt` with the correct CRCs its comment gives.
    struct InvalidPacket: Sendable, CustomStringConvertible {
        let line: Int
        let text: String
        let given: String
        let hj212: String
        let modbus: String

        var description: String { "packets-invalid.txt:\(line) given=\(given)" }
    }

    static let invalidPackets: [InvalidPacket] = {
        var result: [InvalidPacket] = []
        var comment = ""
        for (index, line) in lines("packets-invalid.txt").enumerated() {
            if line.hasPrefix("#") && !line.hasPrefix("##") {
                comment = line
            } else if line.hasPrefix("##") {
                func value(_ key: String) -> String {
                    guard let range = comment.range(of: key + "=") else { return "" }
                    return String(comment[range.upperBound...].prefix(4))
                }
                result.append(
                    InvalidPacket(
                        line: index + 1, text: line, given: value("given"), hj212: value("hj212-2017"),
                        modbus: value("modbus")))
            }
        }
        return result
    }()

    /// Data segments of HJ 212-2017 Appendix C, numbered 1…153 in document order.
    struct Segment: Sendable, CustomStringConvertible {
        let number: Int
        let text: String
        var description: String { "appendix C #\(number)" }
    }

    static let appendixC: [Segment] = lines("hj212-2017-appendix-c-segments.txt")
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        .enumerated().map { Segment(number: $0.offset + 1, text: $0.element) }
}
