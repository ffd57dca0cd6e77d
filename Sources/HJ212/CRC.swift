/// The CRC algorithms seen on HJ 212 links.
///
/// HJ 212-2017 Appendix A defines one algorithm ("ANSI CRC16"): register 0xFFFF, per byte
/// `register = (register >> 8) ^ byte`, then eight shifts with 0xA001, printed high byte first.
/// Real devices also send plain CRC-16/MODBUS over the same data segment, printed either high byte
/// first or low byte first (STANDARDS §4.11, `packets.txt`). A station policy says which are accepted;
/// the parser records which one matched.
public enum CRCAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// HJ 212-2017 Appendix A, printed high byte first. `"123456789"` → 0x2F80.
    case hj212
    /// CRC-16/MODBUS printed high byte first (e.g. the linqiu126/hcu test vectors).
    case modbusHighByteFirst
    /// CRC-16/MODBUS printed low byte first, i.e. in Modbus wire order (tonyxia2016 rx.log devices).
    case modbusLowByteFirst

    public var description: String {
        switch self {
        case .hj212: return "HJ 212 Appendix A"
        case .modbusHighByteFirst: return "CRC-16/MODBUS (high byte first)"
        case .modbusLowByteFirst: return "CRC-16/MODBUS (low byte first)"
        }
    }

    /// The 4-hex-digit value this algorithm prints for `bytes`.
    public func printedValue<Bytes: Sequence>(of bytes: Bytes) -> UInt16 where Bytes.Element == UInt8 {
        switch self {
        case .hj212: return HJ212CRC.appendixA(bytes)
        case .modbusHighByteFirst: return HJ212CRC.modbus(bytes)
        case .modbusLowByteFirst: return HJ212CRC.modbus(bytes).byteSwapped
        }
    }
}

/// A set of accepted CRC algorithms (a station policy).
public struct CRCAlgorithmSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let hj212 = CRCAlgorithmSet(rawValue: 1)
    public static let modbusHighByteFirst = CRCAlgorithmSet(rawValue: 2)
    public static let modbusLowByteFirst = CRCAlgorithmSet(rawValue: 4)
    /// Both Modbus printings.
    public static let modbus: CRCAlgorithmSet = [.modbusHighByteFirst, .modbusLowByteFirst]
    /// Everything seen in real traffic.
    public static let all: CRCAlgorithmSet = [.hj212, .modbusHighByteFirst, .modbusLowByteFirst]

    public init(_ algorithm: CRCAlgorithm) {
        switch algorithm {
        case .hj212: self = .hj212
        case .modbusHighByteFirst: self = .modbusHighByteFirst
        case .modbusLowByteFirst: self = .modbusLowByteFirst
        }
    }

    public func contains(_ algorithm: CRCAlgorithm) -> Bool { contains(CRCAlgorithmSet(algorithm)) }

    /// Members in preference order: the standard algorithm first.
    public var algorithms: [CRCAlgorithm] { CRCAlgorithm.allCases.filter { contains($0) } }
}

/// One algorithm tried while verifying a packet, and the value it gave.
public struct CRCAttempt: Sendable, Hashable, CustomStringConvertible {
    public let algorithm: CRCAlgorithm
    public let computed: UInt16

    public init(algorithm: CRCAlgorithm, computed: UInt16) {
        self.algorithm = algorithm
        self.computed = computed
    }

    public var description: String { "\(algorithm)=\(HJ212CRC.hex(computed))" }
}

/// CRC functions over a data segment (the bytes between the 4-digit length and the CRC).
public enum HJ212CRC {
    /// The reflected 0xA001 table. Because Appendix A XORs the byte into the *shifted-down* register,
    /// the register entering the eight shifts is always below 0x100, so one table step is exact.
    @usableFromInline
    static let table: [UInt16] = (0..<256).map { index in
        var register = UInt16(index)
        for _ in 0..<8 {
            let lowBit = register & 1
            register >>= 1
            if lowBit == 1 { register ^= 0xA001 }
        }
        return register
    }

    /// HJ 212-2017 Appendix A CRC16.
    @inlinable
    public static func appendixA<Bytes: Sequence>(_ bytes: Bytes) -> UInt16 where Bytes.Element == UInt8 {
        if let fast = bytes.withContiguousStorageIfAvailable({ appendixA(buffer: $0) }) { return fast }
        var register: UInt16 = 0xFFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes { register = table[Int((register >> 8) ^ UInt16(byte))] }
        }
        return register
    }

    /// Appendix A only ever keeps the register's high byte between steps (`register >> 8`), so the
    /// state is one byte: `high = H[high ^ byte]` with `H[x] = table[x] >> 8`, and only the last byte
    /// needs the full table entry. `H` is linear over XOR, so four steps collapse to
    /// `H⁴[high ^ b0] ^ H³[b1] ^ H²[b2] ^ H[b3]`: one dependent lookup per four bytes.
    @usableFromInline
    static let highTables: [UInt8] = {
        let h1 = table.map { UInt8($0 >> 8) }
        let h2 = h1.map { h1[Int($0)] }
        let h3 = h2.map { h1[Int($0)] }
        let h4 = h3.map { h1[Int($0)] }
        return h1 + h2 + h3 + h4
    }()

    @usableFromInline
    static func appendixA(buffer: UnsafeBufferPointer<UInt8>) -> UInt16 {
        let count = buffer.count
        guard count > 0 else { return 0xFFFF }
        var high: UInt8 = 0xFF
        highTables.withUnsafeBufferPointer { tables in
            var index = 0
            let body = count - 1
            while index + 3 < body {
                high =
                    tables[768 + Int(high ^ buffer[index])] ^ tables[512 + Int(buffer[index + 1])]
                    ^ tables[256 + Int(buffer[index + 2])] ^ tables[Int(buffer[index + 3])]
                index += 4
            }
            while index < body {
                high = tables[Int(high ^ buffer[index])]
                index += 1
            }
        }
        return table[Int(high ^ buffer[count - 1])]
    }

    /// CRC-16/MODBUS (init 0xFFFF, reflected poly 0xA001, no final XOR) as a number.
    /// `"123456789"` → 0x4B37. Printed "high byte first" this is `%04X` of the value.
    @inlinable
    public static func modbus<Bytes: Sequence>(_ bytes: Bytes) -> UInt16 where Bytes.Element == UInt8 {
        if let fast = bytes.withContiguousStorageIfAvailable({ modbus(buffer: $0) }) { return fast }
        var register: UInt16 = 0xFFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes { register = (register >> 8) ^ table[Int((register ^ UInt16(byte)) & 0xFF)] }
        }
        return register
    }

    /// Slice-by-2 table for CRC-16/MODBUS: `second[x] = (table[x] >> 8) ^ table[table[x] & 0xFF]`.
    /// The table is linear over XOR, so two steps collapse to `second[low] ^ table[high]`.
    @usableFromInline
    static let secondTable: [UInt16] = table.map { ($0 >> 8) ^ table[Int($0 & 0xFF)] }

    @usableFromInline
    static func modbus(buffer: UnsafeBufferPointer<UInt8>) -> UInt16 {
        var register: UInt16 = 0xFFFF
        let count = buffer.count
        table.withUnsafeBufferPointer { table in
            secondTable.withUnsafeBufferPointer { second in
                var index = 0
                while index + 1 < count {
                    let mixed = register ^ (UInt16(buffer[index]) | UInt16(buffer[index + 1]) << 8)
                    register = second[Int(mixed & 0xFF)] ^ table[Int(mixed >> 8)]
                    index += 2
                }
                if index < count {
                    register = (register >> 8) ^ table[Int((register ^ UInt16(buffer[index])) & 0xFF)]
                }
            }
        }
        return register
    }

    /// Four upper-case hex digits, as the standard's examples print them.
    public static func hex(_ value: UInt16) -> String {
        String(decoding: hexBytes(value), as: UTF8.self)
    }

    static func hexBytes(_ value: UInt16) -> [UInt8] {
        let digits: [UInt8] = Array("0123456789ABCDEF".utf8)
        return [
            digits[Int(value >> 12) & 0xF], digits[Int(value >> 8) & 0xF],
            digits[Int(value >> 4) & 0xF], digits[Int(value) & 0xF],
        ]
    }
}
