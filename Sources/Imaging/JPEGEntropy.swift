/// A Huffman table from a DHT segment (T.81 §B.2.4.2, Annex C), with a 9-bit lookup for short codes.
struct HuffmanTable {
    static let fastBits = 9

    /// `(length << 8) | symbol` for codes of up to `fastBits` bits, indexed by the next `fastBits` bits; 0 otherwise.
    var fast = [UInt16](repeating: 0, count: 1 << fastBits)
    /// The largest code of each length (1–16), or −1 when there is none (T.81 Figure F.16's MAXCODE).
    var maxCode = [Int](repeating: -1, count: 17)
    /// Added to a code of each length to index `symbols`.
    var valueOffset = [Int](repeating: 0, count: 17)
    var symbols: [UInt8]

    /// `counts[i]` codes of length i + 1, then their symbols in order. Throws if the codes cannot exist.
    init(counts: [Int], symbols: [UInt8]) throws(ImageError) {
        self.symbols = symbols
        var code = 0
        var index = 0
        for length in 1...16 {
            let count = counts[length - 1]
            valueOffset[length] = index - code
            for _ in 0..<count {
                // More codes of this length than the bits can hold: not a prefix code (Annex C).
                guard code < 1 << length else {
                    throw .corrupt(zh: "JPEG 哈夫曼表无效（码字溢出）", en: "invalid JPEG Huffman table (codes overflow)")
                }
                if length <= Self.fastBits {
                    let shift = Self.fastBits - length
                    for slot in (code << shift)..<((code + 1) << shift) {
                        fast[slot] = UInt16(length << 8) | UInt16(symbols[index])
                    }
                }
                code += 1
                index += 1
            }
            if count > 0 { maxCode[length] = code - 1 }
            code <<= 1
        }
    }

    /// Reads DHT payloads: one or more tables, each class (0 = DC, 1 = AC), id (0–3), 16 counts and the symbols.
    static func readSegment(
        _ payload: ArraySlice<UInt8>, into dc: inout [HuffmanTable?], ac: inout [HuffmanTable?]
    ) throws(ImageError) {
        var at = payload.startIndex
        while at < payload.endIndex {
            guard payload.endIndex - at >= 17 else {
                throw .corrupt(zh: "JPEG 哈夫曼表不完整", en: "a JPEG Huffman table is cut short")
            }
            let tableClass = Int(payload[at] >> 4)
            let id = Int(payload[at] & 15)
            guard tableClass <= 1, id <= 3 else {
                throw .corrupt(zh: "JPEG 哈夫曼表编号无效", en: "invalid JPEG Huffman table class or id")
            }
            let counts = payload[(at + 1)..<(at + 17)].map(Int.init)
            let total = counts.reduce(0, +)
            guard total <= 256, payload.endIndex - at - 17 >= total else {
                throw .corrupt(zh: "JPEG 哈夫曼表符号数无效", en: "invalid JPEG Huffman table symbol count")
            }
            let table = try HuffmanTable(counts: counts, symbols: Array(payload[(at + 17)..<(at + 17 + total)]))
            if tableClass == 0 { dc[id] = table } else { ac[id] = table }
            at += 17 + total
        }
    }
}

/// Reads the entropy-coded data of one scan: removes stuffed zeros, stops at markers, and notices
/// when the decoder needs bits that are not there (a truncated file, or a scan shorter than its image).
struct EntropyReader {
    let bytes: [UInt8]
    private(set) var position: Int
    private var bits: UInt64 = 0
    private var count = 0
    /// Zero bits fed in after a marker or the end of data.
    private var paddingBits = 0
    private var atMarker = false

    init(_ bytes: [UInt8], at position: Int) {
        self.bytes = bytes
        self.position = position
    }

    private mutating func fill() {
        while count <= 56 {
            var byte: UInt8 = 0
            if atMarker || position >= bytes.count {
                paddingBits += 8
            } else if bytes[position] != 0xFF {
                byte = bytes[position]
                position += 1
            } else if position + 1 < bytes.count, bytes[position + 1] == 0 {
                byte = 0xFF
                position += 2
            } else {
                // A marker (or a lone 0xFF at the very end): the scan's data stops here.
                atMarker = position + 1 < bytes.count
                if !atMarker { position = bytes.count }
                paddingBits += 8
            }
            bits = bits << 8 | UInt64(byte)
            count += 8
        }
    }

    /// Throws if the decoder has consumed bits past the end of the scan's data.
    func checkNotOverrun() throws(ImageError) {
        guard paddingBits > count else { return }
        if atMarker {
            throw .corrupt(zh: "JPEG 扫描数据比图像短", en: "the JPEG scan data is shorter than the image")
        }
        throw .truncated(zh: "JPEG 图像数据在结束前中断", en: "the JPEG image data ends early")
    }

    @inline(__always)
    mutating func decode(_ table: HuffmanTable) throws(ImageError) -> Int {
        if count < 16 { fill() }
        let entry = table.fast[Int(truncatingIfNeeded: bits >> UInt64(count - HuffmanTable.fastBits)) & 511]
        if entry != 0 {
            count -= Int(entry >> 8)
            return Int(entry & 0xFF)
        }
        for length in (HuffmanTable.fastBits + 1)...16 {
            let code = Int(truncatingIfNeeded: bits >> UInt64(count - length)) & ((1 << length) - 1)
            if code <= table.maxCode[length] {
                count -= length
                let index = code + table.valueOffset[length]
                guard table.symbols.indices.contains(index) else { break }
                return Int(table.symbols[index])
            }
        }
        try checkNotOverrun()
        throw .corrupt(zh: "JPEG 哈夫曼码无效", en: "invalid JPEG Huffman code")
    }

    /// The next `length` bits (0–16) as an unsigned number.
    @inline(__always)
    mutating func receive(_ length: Int) -> Int {
        guard length > 0 else { return 0 }
        if count < length { fill() }
        count -= length
        return Int(truncatingIfNeeded: bits >> UInt64(count)) & ((1 << length) - 1)
    }

    /// `receive(length)` as a signed difference (T.81 Figure F.12, EXTEND).
    @inline(__always)
    mutating func receiveExtended(_ length: Int) -> Int {
        let value = receive(length)
        return length > 0 && value < 1 << (length - 1) ? value - (1 << length) + 1 : value
    }

    mutating func bit() -> Bool { receive(1) == 1 }

    /// At a restart interval's end: drops the partial byte and expects RSTn (T.81 §F.1.2.3).
    mutating func restart() throws(ImageError) {
        bits = 0
        count = 0
        paddingBits = 0
        atMarker = false
        while position + 1 < bytes.count, bytes[position] == 0xFF, bytes[position + 1] == 0xFF { position += 1 }
        guard position + 1 < bytes.count else {
            throw .truncated(zh: "JPEG 在复位标记处中断", en: "the JPEG ends where a restart marker belongs")
        }
        guard bytes[position] == 0xFF, (0xD0...0xD7).contains(bytes[position + 1]) else {
            throw .corrupt(zh: "JPEG 缺少复位标记 RST", en: "a JPEG restart marker (RSTn) is missing")
        }
        position += 2
    }
}
