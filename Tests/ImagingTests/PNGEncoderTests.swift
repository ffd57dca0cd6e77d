import Testing

@testable import Imaging

@Suite("PNG output: 8-bit RGB, deflated, correct CRCs")
struct PNGEncoderTests {
    @Test(arguments: [(1, 1), (3, 2), (17, 5), (320, 240)])
    func encodedImageDecodesToTheSamePixels(width: Int, height: Int) throws {
        // Given
        var random = SplitMix64(state: UInt64(width * 1000 + height))
        let image = RGBImage(
            width: width, height: height,
            pixels: (0..<(width * height * 3)).map { _ in UInt8.random(in: 0...255, using: &random) })
        // When
        let png = try PNGEncoder.encode(image)
        // Then
        let header = try PNGHeader.read(png)
        #expect(header.bitDepth == 8 && header.colourType == .rgb && !header.interlaced)
        #expect(try ImageFixtures.decodePNG(png) == image)
    }

    @Test func everyChunkCarriesItsCRC() throws {
        let png = try Thumbnailer.thumbnail(try ImageFixtures.bytes("quadrants-420.jpg"))
        var chunks = PNGChunks(png)
        var types: [String] = []
        while let chunk = try chunks.next() { types.append(chunk.type) }  // next() checks each CRC
        #expect(types == ["IHDR", "IDAT", "IEND"])
    }
}
