/// A PNG's IHDR, and the chunk walk that finds it and the rest (PNG spec, 2nd edition, §5 and §11).
struct PNGHeader {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    enum ColourType: Int {
        case grey = 0
        case rgb = 2
        case palette = 3
        case greyAlpha = 4
        case rgba = 6

        var samplesPerPixel: Int {
            switch self {
            case .grey, .palette: 1
            case .greyAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }

        /// The bit depths §11.2.2 Table 11.1 allows for this colour type.
        var allowedBitDepths: Set<Int> {
            switch self {
            case .grey: [1, 2, 4, 8, 16]
            case .palette: [1, 2, 4, 8]
            case .rgb, .greyAlpha, .rgba: [8, 16]
            }
        }
    }

    var width: Int
    var height: Int
    var bitDepth: Int
    var colourType: ColourType
    var interlaced: Bool

    var bitsPerPixel: Int { bitDepth * colourType.samplesPerPixel }
    /// The filter's "corresponding byte to the left" distance (§9.2): at least one byte.
    var filterStride: Int { max(1, bitsPerPixel / 8) }

    func rowBytes(width: Int) -> Int { (width * bitsPerPixel + 7) / 8 }

    /// Reads and checks IHDR (the first chunk), including its CRC and the size limits.
    static func read(_ bytes: [UInt8]) throws(ImageError) -> PNGHeader {
        var chunks = PNGChunks(bytes)
        guard let first = try chunks.next() else {
            throw .truncated(zh: "PNG 缺少 IHDR 头", en: "the PNG has no IHDR header")
        }
        guard first.type == "IHDR", first.data.count == 13 else {
            throw .corrupt(zh: "PNG 第一个数据块不是有效的 IHDR", en: "the first PNG chunk is not a valid IHDR")
        }
        let data = Array(bytes[first.data])
        let width = Int(PNGChunks.bigEndian(data, 0))
        let height = Int(PNGChunks.bigEndian(data, 4))
        // §11.2.2: each dimension is a non-zero 31-bit value; check before anything is allocated.
        try Thumbnailer.checkDimensions(width: width, height: height)
        guard let colourType = ColourType(rawValue: Int(data[9])) else {
            throw .corrupt(zh: "PNG 颜色类型 \(data[9]) 无效", en: "invalid PNG colour type \(data[9])")
        }
        let bitDepth = Int(data[8])
        guard colourType.allowedBitDepths.contains(bitDepth) else {
            throw .corrupt(
                zh: "PNG 颜色类型 \(colourType.rawValue) 不允许位深 \(bitDepth)",
                en: "PNG colour type \(colourType.rawValue) does not allow bit depth \(bitDepth)")
        }
        guard data[10] == 0, data[11] == 0 else {
            throw .unsupported(zh: "PNG 压缩或滤波方法未知", en: "unknown PNG compression or filter method")
        }
        guard data[12] <= 1 else {
            throw .corrupt(zh: "PNG 隔行方式 \(data[12]) 无效", en: "invalid PNG interlace method \(data[12])")
        }
        return PNGHeader(
            width: width, height: height, bitDepth: bitDepth, colourType: colourType, interlaced: data[12] == 1)
    }
}

/// Walks the chunks after the signature, checking each length against the data and each CRC.
struct PNGChunks {
    struct Chunk {
        var type: String
        var data: Range<Int>
        /// An ancillary chunk (lower-case first letter) may be ignored; an unknown critical one may not.
        var isCritical: Bool
    }

    private let bytes: [UInt8]
    private var offset = PNGHeader.signature.count

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func bigEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    /// The next chunk, or nil exactly at the end of the data.
    mutating func next() throws(ImageError) -> Chunk? {
        guard offset < bytes.count else { return nil }
        guard bytes.count - offset >= 12 else {
            throw .truncated(zh: "PNG 数据块头不完整", en: "a PNG chunk header is cut short")
        }
        let length = Int(Self.bigEndian(bytes, offset))
        let typeBytes = bytes[(offset + 4)..<(offset + 8)]
        guard typeBytes.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
            throw .corrupt(zh: "PNG 数据块类型无效", en: "invalid PNG chunk type")
        }
        let type = String(decoding: typeBytes, as: UTF8.self)
        // §5.3: the length is at most 2^31 − 1 and the chunk must fit in what is left.
        guard length <= Int(Int32.max), length <= bytes.count - offset - 12 else {
            throw .truncated(zh: "PNG 数据块 \(type) 不完整", en: "the PNG \(type) chunk is cut short")
        }
        let dataStart = offset + 8
        let crcAt = dataStart + length
        guard Zlib.crc32(bytes, (offset + 4)..<crcAt) == Self.bigEndian(bytes, crcAt) else {
            throw .corrupt(zh: "PNG 数据块 \(type) 的 CRC 校验失败", en: "CRC mismatch in the PNG \(type) chunk")
        }
        offset = crcAt + 4
        return Chunk(type: type, data: dataStart..<crcAt, isCritical: typeBytes.first! < 97)
    }
}
