/// Writes 8-bit RGB PNGs: IHDR, one zlib-deflated IDAT, IEND, each with its CRC.
enum PNGEncoder {
    static func encode(_ image: RGBImage) throws(ImageError) -> [UInt8] {
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(image.width))
        header.appendBigEndian(UInt32(image.height))
        header += [8, 2, 0, 0, 0]  // 8-bit, colour type 2 (RGB), deflate, adaptive filtering, not interlaced
        let rowBytes = image.width * 3
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity(image.height * (rowBytes + 1))
        for y in 0..<image.height {
            scanlines.append(1)  // filter Sub: photos compress better than with None
            let row = y * rowBytes
            for i in 0..<rowBytes {
                let left = i >= 3 ? image.pixels[row + i - 3] : 0
                scanlines.append(image.pixels[row + i] &- left)
            }
        }
        var png = PNGHeader.signature
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", try Zlib.deflate(scanlines), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        png.appendBigEndian(UInt32(data.count))
        let typeStart = png.count
        png += Array(type.utf8)
        png += data
        png.appendBigEndian(Zlib.crc32(png, typeStart..<png.count))
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [
            UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF),
        ])
    }
}
