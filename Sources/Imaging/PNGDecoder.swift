/// Decodes a PNG straight into a thumbnail a row at a time: inflate the row, unfilter it against the row above,
/// convert each pixel to RGB over white and sum it into the thumbnail grid. Neither the full-size pixel data
/// nor the full-size RGB image is ever held, whatever size the header claims.
enum PNGDecoder {
    /// Adam7's passes as (x offset, y offset, x step, y step) — PNG spec §8.2.
    static let adam7 = [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ]

    /// A reduced image of the interlaced sequence, or the whole image.
    struct Pass {
        var x0: Int, y0: Int, dx: Int, dy: Int
        var width: Int, height: Int
    }

    static func decode(_ bytes: [UInt8], header: PNGHeader, width: Int, height: Int) throws(ImageError) -> RGBImage {
        let (compressed, palette, transparency) = try readChunks(bytes, header: header)
        let inflater = try Inflater(compressed)
        let colours = PNGColours(header: header, palette: palette, transparency: transparency)
        var accumulator = AreaAccumulator(
            sourceWidth: header.width, sourceHeight: header.height, width: width, height: height)
        for pass in passes(of: header) {
            // Each row: its filter type, then its bytes. The row above the first is all zeros (§9.2).
            var previous = [UInt8](repeating: 0, count: 1 + header.rowBytes(width: pass.width))
            var current = previous
            for row in 0..<pass.height {
                try inflater.read(into: &current)
                try unfilter(&current, above: previous, left: header.filterStride)
                try colours.convert(current, from: 1, count: pass.width) { index, red, green, blue in
                    accumulator.add(
                        x: pass.x0 + index * pass.dx, y: pass.y0 + row * pass.dy, red: red, green: green, blue: blue)
                }
                swap(&previous, &current)
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
            return [Pass(x0: 0, y0: 0, dx: 1, dy: 1, width: header.width, height: header.height)]
        }
        return adam7.compactMap { x0, y0, dx, dy in
            let width = (header.width - x0 + dx - 1) / dx
            let height = (header.height - y0 + dy - 1) / dy
            return width > 0 && height > 0 ? Pass(x0: x0, y0: y0, dx: dx, dy: dy, width: width, height: height) : nil
        }
    }

    /// Reverses the filter of §9.2 named by `row[0]` on `row[1...]`, given the (unfiltered) row above.
    static func unfilter(_ row: inout [UInt8], above: [UInt8], left: Int) throws(ImageError) {
        let count = row.count
        try row.withUnsafeMutableBufferPointer { (data: inout UnsafeMutableBufferPointer<UInt8>) throws(ImageError) in
            try above.withUnsafeBufferPointer { (up: UnsafeBufferPointer<UInt8>) throws(ImageError) in
                switch data[0] {
                case 0: break
                case 1:
                    for i in (1 + left)..<max(1 + left, count) { data[i] &+= data[i - left] }
                case 2:
                    for i in 1..<count { data[i] &+= up[i] }
                case 3:
                    for i in 1..<count {
                        let a = i > left ? Int(data[i - left]) : 0
                        data[i] &+= UInt8((a + Int(up[i])) / 2)
                    }
                case 4:
                    for i in 1..<count {
                        let (a, c) = i > left ? (Int(data[i - left]), Int(up[i - left])) : (0, 0)
                        data[i] &+= paeth(a, Int(up[i]), c)
                    }
                default:
                    throw .corrupt(zh: "PNG 滤波类型 \(data[0]) 无效", en: "invalid PNG filter type \(data[0])")
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
