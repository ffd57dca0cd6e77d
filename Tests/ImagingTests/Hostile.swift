@testable import Imaging

/// Hand-built headers and streams for the hostile-input tests.
enum Hostile {
    /// SOI, a frame header and a scan header: enough for `inspect`, no image data.
    static func jpegHeader(
        width: Int, height: Int, marker: UInt8 = 0xC0, precision: UInt8 = 8, components: Int = 3
    ) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, marker, 0, UInt8(8 + 3 * components), precision]
        bytes += [UInt8(height >> 8 & 0xFF), UInt8(height & 0xFF), UInt8(width >> 8 & 0xFF), UInt8(width & 0xFF)]
        bytes.append(UInt8(components))
        for id in 1...components { bytes += [UInt8(id), id == 1 ? 0x22 : 0x11, 0] }
        bytes += [0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0xFF, 0xD9]
        return bytes
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(UInt32(data.count))
        let start = bytes.count
        bytes += Array(type.utf8) + data
        bytes.appendBigEndian(Zlib.crc32(bytes, start..<bytes.count))
        return bytes
    }

    static func png(width: Int, height: Int, depth: UInt8, colourType: UInt8, idat: [UInt8], interlaced: Bool = false)
        -> [UInt8]
    {
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(truncatingIfNeeded: width))
        header.appendBigEndian(UInt32(truncatingIfNeeded: height))
        header += [depth, colourType, 0, 0, interlaced ? 1 : 0]
        return PNGHeader.signature + chunk("IHDR", header) + chunk("IDAT", idat) + chunk("IEND", [])
    }
}

/// A small seeded generator (SplitMix64), so a failing mutation can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
