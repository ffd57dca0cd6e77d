/// Decodes a PNG straight into a thumbnail: inflate (bounded), unfilter, then each pixel is converted to
/// RGB over white and summed into the thumbnail grid, so the full-size RGB image is never held.
enum PNGDecoder {
    /// Adam7's passes as (x offset, y offset, x step, y step) — PNG spec §8.2.
    static let adam7 = [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ]

    /// A reduced image of the interlaced sequence (or the whole image) and where its bytes start.
    struct Pass {
        var x0: Int, y0: Int, dx: Int, dy: Int
        var width: Int, height: Int
        var offset: Int
    }

    static func decode(_ bytes: [UInt8], header: PNGHeader, width: Int, height: Int) throws(ImageError) -> RGBImage {
        let (compressed, palette, transparency) = try readChunks(bytes, header: header)
        let passes = passes(of: header)
        let expected = passes.reduce(0) { $0 + $1.height * (1 + header.rowBytes(width: $1.width)) }
        var raw = try Zlib.inflate(compressed, expectedCount: expected)
        let colours = PNGColours(header: header, palette: palette, transparency: transparency)
        var accumulator = AreaAccumulator(
            sourceWidth: header.width, sourceHeight: header.height, width: width, height: height)
        for pass in passes {
            try unfilter(&raw, pass: pass, header: header)
            let rowBytes = header.rowBytes(width: pass.width)
            for row in 0..<pass.height {
                let start = pass.offset + row * (1 + rowBytes) + 1
                try colours.convert(raw, from: start, count: pass.width) { index, red, green, blue in
                    accumulator.add(
                        x: pass.x0 + index * pass.dx, y: pass.y0 + row * pass.dy, red: red, green: green, blue: blue)
                }
            }
        }
        return accumulator.image
    }

    /// Collects IDAT data, PLTE and tRNS up to IEND, rejecting unknown critical chunks.
    static func readChunks(
        _ bytes: [UInt8], header: PNGHeader
    ) throws(ImageError) -> (compressed: [UInt8], palette: [UInt8], transparency: [UInt8]) {
        var chunks = PNGChunks(bytes)
        _ = try chunks.next()  // IHDR, already checked
        var compressed: [UInt8] = []
        var palette: [UInt8] = []
        var transparency: [UInt8] = []
        while true {
            guard let chunk = try chunks.next() else {
                throw .truncated(zh: "PNG 缺少 IEND 结束块", en: "the PNG has no IEND chunk")
            }
            switch chunk.type {
            case "IDAT": compressed += bytes[chunk.data]
            case "PLTE":
                guard chunk.data.count % 3 == 0, (3...768).contains(chunk.data.count) else {
                    throw .corrupt(zh: "PNG 调色板长度无效", en: "invalid PNG palette length")
                }
                palette = Array(bytes[chunk.data])
            case "tRNS": transparency = Array(bytes[chunk.data])
            case "IEND":
                guard !compressed.isEmpty else {
                    throw .corrupt(zh: "PNG 没有像素数据（IDAT）", en: "the PNG has no pixel data (IDAT)")
                }
                if header.colourType == .palette, palette.isEmpty {
                    throw .corrupt(zh: "调色板 PNG 缺少 PLTE 块", en: "a palette PNG without a PLTE chunk")
                }
                return (compressed, palette, transparency)
            case "IHDR":
                throw .corrupt(zh: "PNG 含有第二个 IHDR", en: "the PNG has a second IHDR")
            default:
                if chunk.isCritical {
                    throw .unsupported(
                        zh: "PNG 含有未知的关键数据块 \(chunk.type)", en: "unknown critical PNG chunk \(chunk.type)")
                }
            }
        }
    }

    /// The whole image as one pass, or Adam7's seven (empty passes carry no bytes at all, §8.2).
    static func passes(of header: PNGHeader) -> [Pass] {
        guard header.interlaced else {
            return [Pass(x0: 0, y0: 0, dx: 1, dy: 1, width: header.width, height: header.height, offset: 0)]
        }
        var result: [Pass] = []
        var offset = 0
        for (x0, y0, dx, dy) in adam7 {
            let width = (header.width - x0 + dx - 1) / dx
            let height = (header.height - y0 + dy - 1) / dy
            guard width > 0, height > 0 else { continue }
            result.append(Pass(x0: x0, y0: y0, dx: dx, dy: dy, width: width, height: height, offset: offset))
            offset += height * (1 + header.rowBytes(width: width))
        }
        return result
    }

    /// Reverses the five filters of §9.2 in place, row by row within one pass.
    static func unfilter(_ raw: inout [UInt8], pass: Pass, header: PNGHeader) throws(ImageError) {
        let rowBytes = header.rowBytes(width: pass.width)
        let left = header.filterStride
        try raw.withUnsafeMutableBufferPointer { (data: inout UnsafeMutableBufferPointer<UInt8>) throws(ImageError) in
            for row in 0..<pass.height {
                let filterAt = pass.offset + row * (1 + rowBytes)
                let start = filterAt + 1
                let above = row == 0 ? -1 : start - (1 + rowBytes)
                let filter = data[filterAt]
                switch filter {
                case 0: break
                case 1:
                    for i in left..<max(left, rowBytes) { data[start + i] &+= data[start + i - left] }
                case 2:
                    if above >= 0 { for i in 0..<rowBytes { data[start + i] &+= data[above + i] } }
                case 3:
                    for i in 0..<rowBytes {
                        let a = i >= left ? Int(data[start + i - left]) : 0
                        let b = above >= 0 ? Int(data[above + i]) : 0
                        data[start + i] &+= UInt8((a + b) / 2)
                    }
                case 4:
                    for i in 0..<rowBytes {
                        let a = i >= left ? Int(data[start + i - left]) : 0
                        let b = above >= 0 ? Int(data[above + i]) : 0
                        let c = i >= left && above >= 0 ? Int(data[above + i - left]) : 0
                        data[start + i] &+= paeth(a, b, c)
                    }
                default:
                    throw .corrupt(zh: "PNG 滤波类型 \(filter) 无效", en: "invalid PNG filter type \(filter)")
                }
            }
        }
    }

    @inline(__always)
    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> UInt8 {
        let p = a + b - c
        let pa = abs(p - a)
        let pb = abs(p - b)
        let pc = abs(p - c)
        if pa <= pb, pa <= pc { return UInt8(a) }
        return pb <= pc ? UInt8(b) : UInt8(c)
    }
}
