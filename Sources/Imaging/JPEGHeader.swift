/// One image component of a JPEG frame (ITU-T T.81 §B.2.2) and the block grid it fills.
struct JPEGComponent {
    var id: UInt8
    var horizontal: Int
    var vertical: Int
    var quantTable: Int
    /// Samples actually in the image (T.81 §A.1.1: ⌈X × H / Hmax⌉).
    var width = 0
    var height = 0
    /// Blocks in the MCU-padded grid that interleaved scans fill.
    var blocksPerLine = 0
    var blocksPerColumn = 0
}

/// The frame header (SOFn) and the layout derived from it.
struct JPEGFrame {
    var progressive: Bool
    var width: Int
    var height: Int
    var components: [JPEGComponent]
    var mcusPerLine: Int
    var mcusPerColumn: Int

    /// Reads an SOF0/SOF1/SOF2 payload; every other SOFn is refused with its name.
    init(marker: UInt8, payload: ArraySlice<UInt8>) throws(ImageError) {
        progressive = marker == 0xC2
        let p = Array(payload)
        guard p.count >= 6 else { throw .corrupt(zh: "JPEG 帧头过短", en: "the JPEG frame header is too short") }
        guard p[0] == 8 else {
            throw .unsupported(zh: "\(p[0]) 位精度的 JPEG", en: "\(p[0])-bit JPEG (only 8-bit is supported)")
        }
        height = Int(p[1]) << 8 | Int(p[2])
        width = Int(p[3]) << 8 | Int(p[4])
        if height == 0, width > 0 {
            throw .unsupported(zh: "高度由 DNL 标记给出的 JPEG", en: "JPEG whose height comes in a DNL marker")
        }
        try Thumbnailer.checkDimensions(width: width, height: height)
        let count = Int(p[5])
        switch count {
        case 1, 3: break
        case 4: throw .unsupported(zh: "CMYK（四分量）JPEG", en: "CMYK (four-component) JPEG")
        default: throw .unsupported(zh: "\(count) 个分量的 JPEG", en: "JPEG with \(count) components")
        }
        guard p.count >= 6 + count * 3 else {
            throw .corrupt(zh: "JPEG 帧头分量不完整", en: "the JPEG frame header's components are cut short")
        }
        components = try (0..<count).map { (i: Int) throws(ImageError) -> JPEGComponent in
            let at = 6 + i * 3
            let component = JPEGComponent(
                id: p[at], horizontal: Int(p[at + 1] >> 4), vertical: Int(p[at + 1] & 15), quantTable: Int(p[at + 2]))
            guard (1...4).contains(component.horizontal), (1...4).contains(component.vertical),
                component.quantTable < 4
            else {
                throw .corrupt(zh: "JPEG 分量的采样因子或量化表无效", en: "invalid JPEG sampling factor or quantisation table")
            }
            return component
        }
        guard Set(components.map(\.id)).count == count else {
            throw .corrupt(zh: "JPEG 分量编号重复", en: "duplicate JPEG component identifiers")
        }
        let hMax = components.map(\.horizontal).max()!
        let vMax = components.map(\.vertical).max()!
        guard components.allSatisfy({ hMax % $0.horizontal == 0 && vMax % $0.vertical == 0 }) else {
            throw .unsupported(zh: "非整数倍的色度采样比例", en: "JPEG with non-integral sampling ratios")
        }
        mcusPerLine = (width + 8 * hMax - 1) / (8 * hMax)
        mcusPerColumn = (height + 8 * vMax - 1) / (8 * vMax)
        for i in components.indices {
            components[i].width = (width * components[i].horizontal + hMax - 1) / hMax
            components[i].height = (height * components[i].vertical + vMax - 1) / vMax
            components[i].blocksPerLine = mcusPerLine * components[i].horizontal
            components[i].blocksPerColumn = mcusPerColumn * components[i].vertical
        }
    }

    /// What an SOFn marker this decoder does not handle is called (T.81 Table B.1).
    static func unsupportedProcess(_ marker: UInt8) -> ImageError? {
        switch marker {
        case 0xC0, 0xC1, 0xC2: return nil
        case 0xC3: return .unsupported(zh: "无损 JPEG", en: "lossless JPEG")
        case 0xC5, 0xC6, 0xC7: return .unsupported(zh: "分层（差分）JPEG", en: "hierarchical (differential) JPEG")
        case 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
            return .unsupported(zh: "算术编码 JPEG", en: "arithmetic-coded JPEG")
        default: return nil
        }
    }
}

/// The segments of a JPEG up to its first scan: the frame, the EXIF orientation and the Adobe colour transform.
struct JPEGHeader {
    var frame: JPEGFrame
    /// EXIF tag 0x0112 (1–8), 1 when absent.
    var orientation: Int
    /// APP14 "Adobe" transform flag: 0 means the three components are RGB, not YCbCr.
    var adobeTransform: Int?

    static func read(_ bytes: [UInt8]) throws(ImageError) -> JPEGHeader {
        var segments = JPEGSegments(bytes)
        var frame: JPEGFrame?
        var orientation = 1
        var adobeTransform: Int?
        while let segment = try segments.next() {
            let payload = bytes[segment.payload]
            switch segment.marker {
            case 0xC0, 0xC1, 0xC2:
                guard frame == nil else {
                    throw .corrupt(zh: "JPEG 含有多个帧头", en: "the JPEG has more than one frame header")
                }
                frame = try JPEGFrame(marker: segment.marker, payload: payload)
            case 0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
                throw JPEGFrame.unsupportedProcess(segment.marker)!
            case 0xCC: throw JPEGFrame.unsupportedProcess(0xC9)!  // DAC: arithmetic conditioning
            case 0xE1: orientation = EXIF.orientation(payload) ?? orientation
            case 0xEE:
                if payload.starts(with: Array("Adobe".utf8)), payload.count >= 12 {
                    adobeTransform = Int(payload[payload.startIndex + 11])
                }
            case 0xDA:
                guard let frame else {
                    throw .corrupt(zh: "JPEG 扫描出现在帧头之前", en: "a JPEG scan comes before the frame header")
                }
                return JPEGHeader(frame: frame, orientation: orientation, adobeTransform: adobeTransform)
            case 0xD9:
                throw .corrupt(zh: "JPEG 在图像数据之前结束", en: "the JPEG ends before any image data")
            default: break
            }
        }
        throw .truncated(zh: "JPEG 在图像数据之前结束", en: "the JPEG ends before any image data")
    }
}

/// Walks marker segments (T.81 §B.1.1.4), skipping fill bytes and stray data between them.
struct JPEGSegments {
    struct Segment {
        var marker: UInt8
        /// After the length field; empty for markers that have none.
        var payload: Range<Int>
    }

    let bytes: [UInt8]
    /// Where the next marker search starts.
    var position = 2

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next segment, or nil once the data is exhausted without one.
    mutating func next() throws(ImageError) -> Segment? {
        // Find 0xFF followed by a marker code (not a stuffed zero, not more fill).
        while position + 1 < bytes.count,
            !(bytes[position] == 0xFF && bytes[position + 1] != 0 && bytes[position + 1] != 0xFF)
        {
            position += 1
        }
        guard position + 1 < bytes.count else { return nil }
        let marker = bytes[position + 1]
        position += 2
        switch marker {
        case 0x01, 0xD0...0xD9: return Segment(marker: marker, payload: position..<position)
        default:
            guard position + 2 <= bytes.count else {
                throw .truncated(zh: "JPEG 标记段长度缺失", en: "a JPEG segment length is missing")
            }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            guard length >= 2 else { throw .corrupt(zh: "JPEG 标记段长度无效", en: "invalid JPEG segment length") }
            guard position + length <= bytes.count else {
                throw .truncated(
                    zh: "JPEG 标记段 0xFF\(String(marker, radix: 16, uppercase: true)) 不完整",
                    en: "the JPEG segment 0xFF\(String(marker, radix: 16, uppercase: true)) is cut short")
            }
            defer { position += length }
            return Segment(marker: marker, payload: (position + 2)..<(position + length))
        }
    }
}

/// The orientation tag of an APP1 EXIF segment (EXIF 2.3 §4.6.4, TIFF 6.0 IFD layout).
enum EXIF {
    static func orientation(_ payload: ArraySlice<UInt8>) -> Int? {
        let data = Array(payload)
        guard data.starts(with: [0x45, 0x78, 0x69, 0x66, 0, 0]), data.count >= 14 else { return nil }
        let tiff = 6
        let littleEndian: Bool
        switch (data[tiff], data[tiff + 1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func read16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= data.count else { return nil }
            return littleEndian ? Int(data[at]) | Int(data[at + 1]) << 8 : Int(data[at]) << 8 | Int(data[at + 1])
        }
        func read32(_ at: Int) -> Int? {
            guard let first = read16(at), let second = read16(at + 2) else { return nil }
            return littleEndian ? first | second << 16 : first << 16 | second
        }
        guard read16(tiff + 2) == 42, let ifdOffset = read32(tiff + 4) else { return nil }
        let ifd = tiff + ifdOffset
        guard let entries = read16(ifd) else { return nil }
        for index in 0..<entries {
            let entry = ifd + 2 + index * 12
            guard let tag = read16(entry) else { return nil }
            if tag == 0x0112 {
                // Type 3 (SHORT), count 1: the value sits left-aligned in the offset field.
                guard read16(entry + 2) == 3, let value = read16(entry + 8), (1...8).contains(value) else { return nil }
                return value
            }
        }
        return nil
    }
}
