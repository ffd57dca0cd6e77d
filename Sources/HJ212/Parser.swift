import NIOCore

/// Parses HJ/T 212-2005, HJ 212-2017 and HJ 212-2025 frames: `##` + 4-digit length + data segment +
/// 4-hex CRC (+ CR LF). Length and CRC are checked independently; what is accepted depends on the
/// ``HJ212Policy`` (one per station), and every tolerated deviation is recorded.
///
/// The hot path works on the frame's bytes and allocates only the header strings, one copy of the
/// CP bytes and the CP item index.
public struct HJ212Parser: Sendable {
    public var policy: HJ212Policy

    public init(policy: HJ212Policy = .strict) {
        self.policy = policy
    }

    /// Parses a frame given as text (CR LF optional unless `requireTerminator`).
    public func parse(_ text: String, requireTerminator: Bool = false) throws(HJ212Error) -> ParsedPacket {
        try parse(frame: Array(text.utf8), requireTerminator: requireTerminator)
    }

    /// Parses a frame from `##` to the CRC, with or without the trailing CR LF.
    public func parse(frame bytes: [UInt8], requireTerminator: Bool = false) throws(HJ212Error) -> ParsedPacket {
        try bytes.withUnsafeBufferPointer { parse(buffer: $0, requireTerminator: requireTerminator) }.get()
    }

    /// Parses the readable bytes of `buffer` as one frame (e.g. a ``HJ212Frame/packet(_:)`` from the decoder).
    public func parse(frame buffer: ByteBuffer, requireTerminator: Bool = false) throws(HJ212Error) -> ParsedPacket {
        try buffer.withUnsafeReadableBytes { raw in
            parse(buffer: raw.bindMemory(to: UInt8.self), requireTerminator: requireTerminator)
        }.get()
    }

    /// Parses a bare data segment (no `##`, length or CRC), e.g. the examples of HJ 212-2017 Appendix C.
    public func parseDataSegment(_ text: String) throws(HJ212Error) -> ParsedPacket {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { segment -> Result<ParsedPacket, HJ212Error> in
            Result { () throws(HJ212Error) -> ParsedPacket in
                guard segment.count <= policy.maxDataSegmentLength else {
                    throw HJ212Error.oversize(
                        part: "数据段 data segment", length: segment.count, limit: policy.maxDataSegmentLength)
                }
                var deviations = try checkCharacters(segment, frameOffset: 0)
                if segment.count > HJ212Limits.standardMaxDataSegment { deviations.insert(.oversizeDataSegment) }
                var parsed = try SegmentParser(policy: policy).parse(segment)
                parsed.deviations.formUnion(deviations)
                return parsed
            }
        }.get()
    }

    func parse(buffer frame: UnsafeBufferPointer<UInt8>, requireTerminator: Bool) -> Result<ParsedPacket, HJ212Error> {
        Result { () throws(HJ212Error) -> ParsedPacket in try parseFrame(frame, requireTerminator: requireTerminator) }
    }

    private func parseFrame(_ frame: UnsafeBufferPointer<UInt8>, requireTerminator: Bool) throws(HJ212Error)
        -> ParsedPacket
    {
        let (crcField, segment, declaredLength) = try split(frame, requireTerminator: requireTerminator)
        var deviations = try checkCharacters(segment, frameOffset: 6)
        let (crcText, declaredCRC, lowercase) = try readCRC(crcField)
        if lowercase { deviations.insert(.lowercaseCRC) }
        let algorithm = try verifyCRC(segment, declared: declaredCRC, text: crcText)
        if algorithm != .hj212 { deviations.insert(.modbusCRC) }
        if declaredLength != segment.count {
            guard policy.acceptsLengthMismatch else {
                throw HJ212Error.lengthMismatch(declared: declaredLength, actual: segment.count)
            }
            deviations.insert(.lengthMismatch)
        }
        if segment.count > HJ212Limits.standardMaxDataSegment { deviations.insert(.oversizeDataSegment) }
        var parsed = try SegmentParser(policy: policy).parse(segment)
        parsed.deviations.formUnion(deviations)
        parsed.wire = WireInfo(
            declaredLength: declaredLength, dataSegmentLength: segment.count, declaredCRC: crcText,
            crcAlgorithm: algorithm)
        return parsed
    }

    /// Checks `##`, the terminator, the minimum size and the length field; returns the pieces.
    private func split(_ frame: UnsafeBufferPointer<UInt8>, requireTerminator: Bool) throws(HJ212Error) -> (
        crc: UnsafeBufferPointer<UInt8>, segment: UnsafeBufferPointer<UInt8>, declaredLength: Int
    ) {
        var end = frame.count
        if end >= 2 && frame[end - 2] == 0x0D && frame[end - 1] == 0x0A {
            end -= 2
        } else if requireTerminator || (end >= 1 && (frame[end - 1] == 0x0D || frame[end - 1] == 0x0A)) {
            throw HJ212Error.missingTerminator
        }
        let hash = UInt8(ascii: "#")
        if (end >= 1 && frame[0] != hash) || (end >= 2 && frame[1] != hash) {
            let prefix = UnsafeBufferPointer(rebasing: frame[0..<min(end, 8)])
            throw HJ212Error.missingHeader(found: String(decoding: prefix, as: UTF8.self))
        }
        guard end >= HJ212Limits.frameOverhead else {
            throw HJ212Error.truncated(byteCount: frame.count, minimum: HJ212Limits.frameOverhead)
        }
        var declared = 0
        for index in 2..<6 {
            let digit = frame[index] &- UInt8(ascii: "0")
            guard digit < 10 else {
                let field = UnsafeBufferPointer(rebasing: frame[2..<6])
                throw HJ212Error.invalidLengthField(String(decoding: field, as: UTF8.self))
            }
            declared = declared * 10 + Int(digit)
        }
        let segmentLength = end - HJ212Limits.frameOverhead
        guard segmentLength <= policy.maxDataSegmentLength else {
            throw HJ212Error.oversize(
                part: "数据段 data segment", length: segmentLength, limit: policy.maxDataSegmentLength)
        }
        let segment = UnsafeBufferPointer(rebasing: frame[6..<(end - 4)])
        let crcField = UnsafeBufferPointer(rebasing: frame[(end - 4)..<end])
        return (crcField, segment, declared)
    }

    private func readCRC(_ field: UnsafeBufferPointer<UInt8>) throws(HJ212Error) -> (String, UInt16, Bool) {
        var value: UInt16 = 0
        var lowercase = false
        for byte in field {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"):
                nibble = byte - UInt8(ascii: "a") + 10
                lowercase = true
            default:
                throw HJ212Error.invalidCRCField(String(decoding: field, as: UTF8.self))
            }
            value = value << 4 | UInt16(nibble)
        }
        return (String(decoding: field, as: UTF8.self), value, lowercase)
    }

    private func verifyCRC(_ segment: UnsafeBufferPointer<UInt8>, declared: UInt16, text: String) throws(HJ212Error)
        -> CRCAlgorithm
    {
        var attempts: [CRCAttempt] = []
        var modbus: UInt16?
        for algorithm in CRCAlgorithm.allCases where policy.acceptedCRCs.contains(algorithm) {
            let computed: UInt16
            switch algorithm {
            case .hj212:
                computed = HJ212CRC.appendixA(buffer: segment)
            case .modbusHighByteFirst, .modbusLowByteFirst:
                let value = modbus ?? HJ212CRC.modbus(buffer: segment)
                modbus = value
                computed = algorithm == .modbusHighByteFirst ? value : value.byteSwapped
            }
            if computed == declared { return algorithm }
            attempts.append(CRCAttempt(algorithm: algorithm, computed: computed))
        }
        throw HJ212Error.crcMismatch(declared: text, attempts: attempts)
    }

    /// Rejects control characters; checks non-ASCII bytes against the policy and UTF-8 well-formedness.
    func checkCharacters(_ segment: UnsafeBufferPointer<UInt8>, frameOffset: Int) throws(HJ212Error)
        -> HJ212Deviations
    {
        var sawNonASCII = false
        for (index, byte) in segment.enumerated() where byte < 0x20 || byte >= 0x7F {
            if byte < 0x20 || byte == 0x7F {
                throw HJ212Error.controlCharacter(offset: frameOffset + index, byte: byte)
            }
            guard policy.allowsUTF8 else { throw HJ212Error.nonASCII(offset: frameOffset + index, byte: byte) }
            sawNonASCII = true
        }
        guard sawNonASCII else { return [] }
        if let bad = UTF8Validation.firstInvalidOffset(segment) {
            throw HJ212Error.invalidUTF8(offset: frameOffset + bad)
        }
        return .nonASCIIText
    }
}

enum UTF8Validation {
    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or nil.
    static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return index
            }
            guard index + length <= count else { return index }
            let second = bytes[index + 1]
            guard second >= low && second <= high else { return index }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}
