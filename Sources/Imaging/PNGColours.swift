/// Turns unfiltered PNG scanlines of any colour type and bit depth into 8-bit RGB over white.
struct PNGColours {
    let header: PNGHeader
    /// RGB triples.
    let palette: [UInt8]
    /// One alpha per palette entry (entries past the tRNS data are opaque).
    let paletteAlpha: [UInt8]
    /// tRNS for grey (one key) or RGB (three keys): samples equal to it are fully transparent (§11.3.2.1).
    let colourKey: [Int]?

    init(header: PNGHeader, palette: [UInt8], transparency: [UInt8]) {
        self.header = header
        self.palette = palette
        let entries = palette.count / 3
        paletteAlpha = (0..<entries).map { $0 < transparency.count ? transparency[$0] : 255 }
        switch header.colourType {
        case .grey where transparency.count >= 2:
            colourKey = [Int(transparency[0]) << 8 | Int(transparency[1])]
        case .rgb where transparency.count >= 6:
            colourKey = stride(from: 0, to: 6, by: 2).map { Int(transparency[$0]) << 8 | Int(transparency[$0 + 1]) }
        default:
            colourKey = nil
        }
    }

    /// Calls `emit(index, red, green, blue)` for each of `count` pixels of the scanline starting at `start`.
    func convert(
        _ raw: [UInt8], from start: Int, count: Int, emit: (Int, UInt8, UInt8, UInt8) -> Void
    ) throws(ImageError) {
        let depth = header.bitDepth
        // A sample as written (for colour keys) and scaled to 8 bits (16-bit keeps its high byte).
        func sample(_ index: Int) -> Int {
            switch depth {
            case 16: return Int(raw[start + index * 2]) << 8 | Int(raw[start + index * 2 + 1])
            case 8: return Int(raw[start + index])
            default:
                let bit = index * depth
                return Int(raw[start + bit / 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1)
            }
        }
        func scaled(_ value: Int) -> Int {
            switch depth {
            case 16: value >> 8
            case 8: value
            default: value * 255 / ((1 << depth) - 1)
            }
        }
        let maximum = (1 << depth) - 1
        switch header.colourType {
        case .grey:
            for i in 0..<count {
                let value = sample(i)
                let grey = UInt8(value == colourKey?[0] ? 255 : scaled(value))
                emit(i, grey, grey, grey)
            }
        case .greyAlpha:
            for i in 0..<count {
                let grey = Self.overWhite(sample(i * 2), alpha: sample(i * 2 + 1), maximum: maximum)
                emit(i, grey, grey, grey)
            }
        case .rgb:
            for i in 0..<count {
                let (r, g, b) = (sample(i * 3), sample(i * 3 + 1), sample(i * 3 + 2))
                if let key = colourKey, key == [r, g, b] {
                    emit(i, 255, 255, 255)
                } else {
                    emit(i, UInt8(scaled(r)), UInt8(scaled(g)), UInt8(scaled(b)))
                }
            }
        case .rgba:
            for i in 0..<count {
                let alpha = sample(i * 4 + 3)
                emit(
                    i, Self.overWhite(sample(i * 4), alpha: alpha, maximum: maximum),
                    Self.overWhite(sample(i * 4 + 1), alpha: alpha, maximum: maximum),
                    Self.overWhite(sample(i * 4 + 2), alpha: alpha, maximum: maximum))
            }
        case .palette:
            for i in 0..<count {
                let entry = sample(i)
                guard entry < paletteAlpha.count else {
                    throw .corrupt(zh: "PNG 调色板索引 \(entry) 超出范围", en: "PNG palette index \(entry) out of range")
                }
                let alpha = Int(paletteAlpha[entry])
                emit(
                    i, Self.overWhite(Int(palette[entry * 3]), alpha: alpha, maximum: 255),
                    Self.overWhite(Int(palette[entry * 3 + 1]), alpha: alpha, maximum: 255),
                    Self.overWhite(Int(palette[entry * 3 + 2]), alpha: alpha, maximum: 255))
            }
        }
    }

    /// `value` composited over white with `alpha`, both out of `maximum`, as 8 bits.
    @inline(__always)
    static func overWhite(_ value: Int, alpha: Int, maximum: Int) -> UInt8 {
        let blended = (value * alpha + maximum * (maximum - alpha) + maximum / 2) / maximum
        return UInt8(blended * 255 / maximum)
    }
}
