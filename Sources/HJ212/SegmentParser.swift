/// Parses a data segment: `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;PNUM=…;PNO=…;CP=&&…&&`.
/// Tolerates the deviations of STANDARDS §4.13 (no QN/Flag, fields out of order, PNO before PNUM,
/// PNUM without Flag) and, when the policy allows, the syntax slips of Appendix C and real devices.
struct SegmentParser {
    let policy: HJ212Policy

    /// The eight standard header values, without an array allocation per packet.
    private struct HeaderValues {
        var qn, st, cn, pw, mn, flag, pnum, pno: String?

        subscript(key: Key) -> String? {
            get {
                switch key {
                case .qn: return qn
                case .st: return st
                case .cn: return cn
                case .pw: return pw
                case .mn: return mn
                case .flag: return flag
                case .pnum: return pnum
                case .pno: return pno
                }
            }
            set {
                switch key {
                case .qn: qn = newValue
                case .st: st = newValue
                case .cn: cn = newValue
                case .pw: pw = newValue
                case .mn: mn = newValue
                case .flag: flag = newValue
                case .pnum: pnum = newValue
                case .pno: pno = newValue
                }
            }
        }
    }

    private enum Key: Int {
        case qn = 0
        case st, cn, pw, mn, flag, pnum, pno

        init?(_ name: UnsafeBufferPointer<UInt8>) {
            switch name.count {
            case 2:
                switch (name[0], name[1]) {
                case (0x51, 0x4E): self = .qn  // QN
                case (0x53, 0x54): self = .st  // ST
                case (0x43, 0x4E): self = .cn  // CN
                case (0x50, 0x57): self = .pw  // PW
                case (0x4D, 0x4E): self = .mn  // MN
                default: return nil
                }
            case 3 where name.elementsEqual("PNO".utf8): self = .pno
            case 4 where name.elementsEqual("Flag".utf8): self = .flag
            case 4 where name.elementsEqual("PNUM".utf8): self = .pnum
            default: return nil
            }
        }

        var name: String {
            ["QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO"][rawValue]
        }
    }

    func parse(_ segment: UnsafeBufferPointer<UInt8>) throws(HJ212Error) -> ParsedPacket {
        var deviations: HJ212Deviations = []
        guard let cpIndex = findCP(segment) else {
            throw HJ212Error.missingField("CP")
        }
        if cpIndex > 0 && segment[cpIndex - 1] != UInt8(ascii: ";") && segment[cpIndex - 1] != UInt8(ascii: " ") {
            try slip(
                .missingSeparatorBeforeCP, &deviations, name: "CP", value: "", reason: "CP= 前缺少 ; / no ';' before CP=")
        }
        var values = HeaderValues()
        var extra: [HeaderField] = []
        var lastRank = -1
        var pieceStart = 0
        while pieceStart < cpIndex {
            var pieceEnd = pieceStart
            while pieceEnd < cpIndex && segment[pieceEnd] != UInt8(ascii: ";") { pieceEnd += 1 }
            if let (name, value) = try headerField(segment, pieceStart, pieceEnd, &deviations) {
                if let key = Key(name) {
                    guard values[key] == nil else { throw HJ212Error.duplicateField(key.name) }
                    values[key] = String(decoding: value, as: UTF8.self)
                    if key.rawValue < lastRank { deviations.insert(.fieldsOutOfOrder) }
                    lastRank = key.rawValue
                } else {
                    extra.append(
                        HeaderField(
                            name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
                    deviations.insert(.unknownHeaderField)
                }
            }
            pieceStart = pieceEnd + 1
        }
        let cp = try parseCP(segment, from: cpIndex, &deviations)
        let packet = try build(values, extra, cp, &deviations)
        return ParsedPacket(packet: packet, deviations: deviations, wire: nil)
    }

    /// The index of `CP=&&`; a plain `CP=` without `&&` is a malformed CP.
    private func findCP(_ segment: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = segment.count
        var index = 0
        while index + 3 <= count {
            if segment[index] == UInt8(ascii: "C") && segment[index + 1] == UInt8(ascii: "P")
                && segment[index + 2] == UInt8(ascii: "=")
                && (index == 0 || segment[index - 1] == UInt8(ascii: ";") || segment[index - 1] == UInt8(ascii: " ")
                    || (index + 5 <= count && segment[index + 3] == UInt8(ascii: "&")
                        && segment[index + 4] == UInt8(ascii: "&")))
            {
                return index
            }
            index += 1
        }
        return nil
    }

    private func headerField(
        _ segment: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ deviations: inout HJ212Deviations
    ) throws(HJ212Error) -> (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>)? {
        let space = UInt8(ascii: " ")
        var start = start
        var end = end
        let original = (start, end)
        while start < end && segment[start] == space { start += 1 }
        while end > start && segment[end - 1] == space { end -= 1 }
        guard start < end else { return nil }
        let pieceText = {
            String(decoding: UnsafeBufferPointer(rebasing: segment[original.0..<original.1]), as: UTF8.self)
        }
        guard let equals = segment[start..<end].firstIndex(of: UInt8(ascii: "=")), equals > start else {
            throw HJ212Error.malformedField(name: pieceText(), value: "", reason: "缺少 = / no '=' in header field")
        }
        var nameEnd = equals
        while nameEnd > start && segment[nameEnd - 1] == space { nameEnd -= 1 }
        var valueStart = equals + 1
        while valueStart < end && segment[valueStart] == space { valueStart += 1 }
        if (start, end) != original || nameEnd != equals || valueStart != equals + 1 {
            try slip(.whitespace, &deviations, name: pieceText(), value: "", reason: "多余空格 / stray whitespace")
        }
        return (
            UnsafeBufferPointer(rebasing: segment[start..<nameEnd]),
            UnsafeBufferPointer(rebasing: segment[valueStart..<end])
        )
    }

    private func parseCP(_ segment: UnsafeBufferPointer<UInt8>, from cpIndex: Int, _ deviations: inout HJ212Deviations)
        throws(HJ212Error) -> CPData
    {
        let count = segment.count
        let ampersand = UInt8(ascii: "&")
        guard cpIndex + 5 <= count && segment[cpIndex + 3] == ampersand && segment[cpIndex + 4] == ampersand else {
            let rest = String(decoding: UnsafeBufferPointer(rebasing: segment[(cpIndex + 3)...]), as: UTF8.self)
            throw HJ212Error.malformedField(name: "CP", value: rest, reason: "CP 须以 && 开始 / CP must start with &&")
        }
        let contentStart = cpIndex + 5
        var contentEnd = count
        if count - 2 >= contentStart && segment[count - 2] == ampersand && segment[count - 1] == ampersand {
            contentEnd = count - 2
        } else {
            let rest = String(decoding: UnsafeBufferPointer(rebasing: segment[contentStart...]), as: UTF8.self)
            try slip(.cpNotClosed, &deviations, name: "CP", value: rest, reason: "CP 未以 && 结束 / CP not closed by &&")
        }
        let fieldLength = count - cpIndex
        if fieldLength > policy.maxCPLength {
            throw HJ212Error.oversize(part: "CP", length: fieldLength, limit: policy.maxCPLength)
        }
        if fieldLength > HJ212Limits.standardMaxCP { deviations.insert(.oversizeCP) }
        let content = Array(UnsafeBufferPointer(rebasing: segment[contentStart..<contentEnd]))
        let (cp, cpDeviations) = CPData.parse(content)
        deviations.formUnion(cpDeviations)
        if !policy.acceptsSyntaxDeviations, let bad = cpDeviations.intersection(HJ212Deviations.syntaxSlips).first {
            throw HJ212Error.malformedField(name: "CP", value: cp.text, reason: CPSlipReason.text(for: bad))
        }
        return cp
    }

    private func build(
        _ values: HeaderValues, _ extra: [HeaderField], _ cp: CPData, _ deviations: inout HJ212Deviations
    ) throws(HJ212Error) -> HJ212Packet {
        func required(_ key: Key) throws(HJ212Error) -> String {
            guard let value = values[key] else { throw HJ212Error.missingField(key.name) }
            guard !value.isEmpty || key == .pw else {
                throw HJ212Error.malformedField(name: key.name, value: value, reason: "不能为空 / must not be empty")
            }
            return value
        }
        let st = try required(.st)
        let cn = try required(.cn)
        let pw = try required(.pw)
        let mn = try required(.mn)
        let qn = values[.qn]
        if qn == nil { deviations.insert(.missingQN) }
        var flag: PacketFlag?
        if let text = values[.flag] {
            guard let number = Self.number(text, maxDigits: 3), number <= 255 else {
                throw HJ212Error.malformedField(
                    name: "Flag", value: text, reason: "须为 0–255 的整数 / must be an integer 0–255")
            }
            flag = PacketFlag(rawValue: UInt8(number))
        } else {
            deviations.insert(.missingFlag)
        }
        let split = try splitInfo(values[.pnum], values[.pno])
        if split != nil && !(flag?.isSplit ?? false) { deviations.insert(.splitFieldsWithoutFlag) }
        if split == nil && (flag?.isSplit ?? false) { deviations.insert(.splitFlagWithoutFields) }
        return HJ212Packet(
            qn: qn, st: SystemCode(st), cn: CommandCode(cn), pw: pw, mn: mn, flag: flag, split: split, cp: cp,
            extraHeaderFields: extra)
    }

    private func splitInfo(_ pnum: String?, _ pno: String?) throws(HJ212Error) -> SplitInfo? {
        switch (pnum, pno) {
        case (nil, nil): return nil
        case (nil, _): throw HJ212Error.missingField("PNUM")
        case (_, nil): throw HJ212Error.missingField("PNO")
        case (let total?, let number?):
            // HJ 212-2017 uses 4 digits; HJ 212-2025 reportedly 5 (STANDARDS §4.15): accept up to 9.
            guard let totalValue = Self.number(total, maxDigits: 9) else {
                throw HJ212Error.malformedField(name: "PNUM", value: total, reason: "须为整数 / must be an integer")
            }
            guard let numberValue = Self.number(number, maxDigits: 9) else {
                throw HJ212Error.malformedField(name: "PNO", value: number, reason: "须为整数 / must be an integer")
            }
            return try SplitInfo(total: totalValue, number: numberValue)
        }
    }

    static func number(_ text: String, maxDigits: Int) -> Int? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= maxDigits else { return nil }
        var value = 0
        for byte in utf8 {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    private func slip(
        _ deviation: HJ212Deviations, _ deviations: inout HJ212Deviations, name: String, value: String, reason: String
    ) throws(HJ212Error) {
        guard policy.acceptsSyntaxDeviations else {
            throw HJ212Error.malformedField(name: name, value: value, reason: reason)
        }
        deviations.insert(deviation)
    }
}

private enum CPSlipReason {
    static func text(for deviation: HJ212Deviations) -> String {
        switch deviation {
        case .whitespace: return "多余空格 / stray whitespace"
        case .cpFieldWithoutEquals: return "数据项缺少 = 或名称 / item without '=' or name"
        case .cpNotClosed: return "CP 未以 && 结束 / CP not closed by &&"
        default: return "语法偏差 / syntax deviation"
        }
    }
}

extension OptionSet where RawValue: FixedWidthInteger, Element == Self {
    /// The lowest single member, if any.
    var first: Self? {
        guard rawValue != 0 else { return nil }
        return Self(rawValue: rawValue & (~rawValue &+ 1))
    }
}
