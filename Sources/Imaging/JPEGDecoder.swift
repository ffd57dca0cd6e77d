/// Decodes baseline, extended sequential and progressive Huffman JPEGs (ITU-T T.81 Annexes F and G)
/// into per-component planes, then averages them down to the thumbnail and converts YCbCr to RGB.
///
/// When the thumbnail is at most 1/4 of a component's resolution both ways, that component's blocks are still
/// Huffman-decoded in full but the IDCT is skipped: each block becomes the means of its four 4×4 quarters, read
/// straight off the DC and odd first-row and first-column coefficients (`JPEGQuarters`). Thumbnails ≤ 1/8 average
/// those further. (Subsampled chroma may thus take the full IDCT while luma takes quarters, as libjpeg's scaling does.)
struct JPEGDecoder {
    /// Zig-zag position → natural (row-major) index (T.81 Figure A.6).
    static let zigzag: [Int] = [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ]
    /// More scans than any encoder writes (libjpeg's progressive script has 10); bounds the work a small file can ask for.
    static let maximumScans = 100

    let bytes: [UInt8]
    let frame: JPEGFrame
    /// Per component: each block reduced to its four quarter means instead of 64 samples.
    let quarters: [Bool]
    /// Four tables of 64 in natural order.
    var quant = [Int](repeating: 0, count: 256)
    var quantDefined = [Bool](repeating: false, count: 4)
    var dcTables = [HuffmanTable?](repeating: nil, count: 4)
    var acTables = [HuffmanTable?](repeating: nil, count: 4)
    var restartInterval = 0
    /// Per component: 8-bit samples (or 2×2 quarter means per block in `quarters` mode).
    var planes: [[UInt8]]
    /// Per component, progressive only: 64 coefficients per block of the padded grid, natural order.
    var coefficients: [[Int16]]
    var predictors: [Int]
    var endOfBandRun = 0
    /// Scratch for one block's dequantised coefficients.
    let block: UnsafeMutablePointer<Int>

    static func decode(_ bytes: [UInt8], header: JPEGHeader, width: Int, height: Int) throws(ImageError) -> RGBImage {
        let frame = header.frame
        let quarters = frame.components.map { width * 4 <= $0.width && height * 4 <= $0.height }
        let block = UnsafeMutablePointer<Int>.allocate(capacity: 64)
        defer { block.deallocate() }
        var decoder = JPEGDecoder(bytes: bytes, frame: frame, quarters: quarters, block: block)
        try decoder.run()
        return decoder.image(width: width, height: height, adobeTransform: header.adobeTransform)
    }

    private init(bytes: [UInt8], frame: JPEGFrame, quarters: [Bool], block: UnsafeMutablePointer<Int>) {
        self.bytes = bytes
        self.frame = frame
        self.quarters = quarters
        self.block = block
        planes = zip(frame.components, quarters).map { component, quarters in
            [UInt8](repeating: 0, count: component.blocksPerLine * component.blocksPerColumn * (quarters ? 4 : 64))
        }
        coefficients = frame.components.map {
            frame.progressive ? [Int16](repeating: 0, count: $0.blocksPerLine * $0.blocksPerColumn * 64) : []
        }
        predictors = [Int](repeating: 0, count: frame.components.count)
    }

    /// Walks every segment to EOI, decoding each scan as it comes.
    private mutating func run() throws(ImageError) {
        var segments = JPEGSegments(bytes)
        var scans = 0
        while let segment = try segments.next() {
            let payload = bytes[segment.payload]
            switch segment.marker {
            case 0xDB: try readQuantisation(payload)
            case 0xC4: try HuffmanTable.readSegment(payload, into: &dcTables, ac: &acTables)
            case 0xDD:
                guard payload.count >= 2 else {
                    throw .corrupt(zh: "JPEG DRI 段过短", en: "the JPEG DRI segment is too short")
                }
                restartInterval = Int(payload[payload.startIndex]) << 8 | Int(payload[payload.startIndex + 1])
            case 0xDA:
                scans += 1
                guard scans <= Self.maximumScans else {
                    throw .unsupported(zh: "JPEG 扫描次数过多", en: "too many JPEG scans (over \(Self.maximumScans))")
                }
                segments.position = try decodeScan(header: payload, dataStart: segment.payload.upperBound)
            case 0xD9:
                if frame.progressive { try reconstructProgressive() }
                return
            default: break
            }
        }
        throw .truncated(zh: "JPEG 缺少结束标记 EOI", en: "the JPEG has no end-of-image marker (EOI)")
    }

    /// DQT (T.81 §B.2.4.1): 8- or 16-bit tables in zig-zag order.
    private mutating func readQuantisation(_ payload: ArraySlice<UInt8>) throws(ImageError) {
        var at = payload.startIndex
        while at < payload.endIndex {
            let precision = Int(payload[at] >> 4)
            let id = Int(payload[at] & 15)
            let size = precision == 0 ? 64 : 128
            guard precision <= 1, id <= 3, payload.endIndex - at - 1 >= size else {
                throw .corrupt(zh: "JPEG 量化表无效", en: "invalid JPEG quantisation table")
            }
            for k in 0..<64 {
                let value =
                    precision == 0
                    ? Int(payload[at + 1 + k]) : Int(payload[at + 1 + 2 * k]) << 8 | Int(payload[at + 2 + 2 * k])
                quant[id * 64 + Self.zigzag[k]] = value
            }
            quantDefined[id] = true
            at += 1 + size
        }
    }

    func checkQuantisation(_ component: JPEGComponent) throws(ImageError) {
        guard quantDefined[component.quantTable] else {
            throw .corrupt(zh: "JPEG 引用了未定义的量化表", en: "the JPEG uses an undefined quantisation table")
        }
    }
}
