import Testing

@testable import Imaging

@Suite("Truncated, corrupt and hostile input throws; it never crashes or allocates without bound")
struct RobustnessTests {
    @Test func truncatedJPEGThrowsTruncated() throws {
        let error = #expect(throws: ImageError.self) {
            try Thumbnailer.thumbnail(try ImageFixtures.bytes("truncated.jpg"))
        }
        guard case .truncated = error else {
            Issue.record("expected truncated, got \(String(describing: error))")
            return
        }
    }

    @Test func pngWithABadCRCNamesTheChunk() throws {
        let error = #expect(throws: ImageError.self) {
            try Thumbnailer.thumbnail(try ImageFixtures.bytes("bad-crc.png"))
        }
        #expect(error == .corrupt(zh: "PNG 数据块 IDAT 的 CRC 校验失败", en: "CRC mismatch in the PNG IDAT chunk"))
    }

    @Test func everyPrefixOfAJPEGAndAPNGThrowsRatherThanCrashes() throws {
        for file in ["quadrants-restart.jpg", "quadrants-progressive.jpg", "rgb-8-interlaced.png"] {
            let bytes = try ImageFixtures.bytes(file)
            for length in 0..<bytes.count {
                #expect(throws: ImageError.self, "\(file) cut at \(length)") {
                    try Thumbnailer.thumbnail(Array(bytes[..<length]))
                }
            }
        }
    }

    @Test func invalidHuffmanTableIsCorrupt() throws {
        // Given quadrants-420.jpg whose first DHT claims three 1-bit codes (only two exist), the total unchanged
        var bytes = try ImageFixtures.bytes("quadrants-420.jpg")
        let dht = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC4 })
        let counts = (dht + 5)..<(dht + 21)
        let donor = try #require(counts.dropFirst().first { bytes[$0] >= 3 - bytes[dht + 5] })
        bytes[donor] -= 3 - bytes[dht + 5]
        bytes[dht + 5] = 3
        // Then
        #expect(throws: ImageError.corrupt(zh: "JPEG 哈夫曼表无效（码字溢出）", en: "invalid JPEG Huffman table (codes overflow)"))
        {
            try Thumbnailer.thumbnail(bytes)
        }
    }

    @Test func restartMarkersOutOfPlaceAreCorrupt() throws {
        // Given the restart fixture with its first RST marker overwritten
        var bytes = try ImageFixtures.bytes("quadrants-restart.jpg")
        let scan = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        let rst = try #require((scan..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xD0 })
        bytes[rst + 1] = 0x00
        // Then
        #expect(throws: ImageError.self) { try Thumbnailer.thumbnail(bytes) }
    }

    @Test func aLargeDeclaredPNGWithLittleDataThrowsTruncated() throws {
        // Given a 7000×7000 grey header (49 MP, allowed) with a few bytes of pixel data
        let png = Hostile.png(width: 7000, height: 7000, depth: 8, colourType: 0, idat: try Zlib.deflate([0, 1, 2, 3]))
        // Then it is refused after a bounded allocation
        let error = #expect(throws: ImageError.self) { try Thumbnailer.thumbnail(png) }
        guard case .truncated = error else {
            Issue.record("expected truncated, got \(String(describing: error))")
            return
        }
    }

    @Test func aDecompressionBombInflatesNoFurtherThanTheHeaderAllows() throws {
        // Given a 16×16 grey image whose IDAT inflates to 20 MB
        let bomb = try Zlib.deflate([UInt8](repeating: 0, count: 20_000_000))
        let png = Hostile.png(width: 16, height: 16, depth: 8, colourType: 0, idat: bomb)
        // When / Then: only the 16 × 17 bytes the header promises are inflated
        let thumbnail = try ImageFixtures.decodePNG(try Thumbnailer.thumbnail(png))
        #expect(thumbnail.width == 16 && thumbnail.pixels.allSatisfy { $0 == 0 })
    }

    @Test func aPNGWhosePixelDataEndsCleanlyButEarlyIsTruncated() throws {
        // Given a complete zlib stream holding two of a 4×4 grey image's four rows
        let png = Hostile.png(
            width: 4, height: 4, depth: 8, colourType: 0, idat: try Zlib.deflate([UInt8](repeating: 0, count: 10)))
        // Then
        #expect(
            throws: ImageError.truncated(
                zh: "PNG 像素数据比图片尺寸所需的少", en: "PNG pixel data is shorter than the dimensions require")
        ) {
            try Thumbnailer.thumbnail(png)
        }
    }

    @Test func badPNGHeaderFieldsAreCorrupt() {
        #expect(throws: ImageError.self) {
            try Thumbnailer.inspect(Hostile.png(width: 4, height: 4, depth: 3, colourType: 0, idat: []))
        }
        #expect(throws: ImageError.self) {
            try Thumbnailer.inspect(Hostile.png(width: 4, height: 4, depth: 8, colourType: 5, idat: []))
        }
        #expect(throws: ImageError.self) {
            try Thumbnailer.inspect(Hostile.png(width: 4, height: 4, depth: 1, colourType: 2, idat: []))
        }
        // A palette image without PLTE
        let noPalette = Hostile.png(
            width: 4, height: 4, depth: 8, colourType: 3,
            idat: (try? Zlib.deflate([UInt8](repeating: 0, count: 20))) ?? [])
        #expect(throws: ImageError.self) { try Thumbnailer.thumbnail(noPalette) }
        // A filter type of 5
        let badFilter = Hostile.png(
            width: 1, height: 1, depth: 8, colourType: 0, idat: (try? Zlib.deflate([5, 0])) ?? [])
        #expect(throws: ImageError.corrupt(zh: "PNG 滤波类型 5 无效", en: "invalid PNG filter type 5")) {
            try Thumbnailer.thumbnail(badFilter)
        }
    }

    @Test func maxDimensionMustBePositive() throws {
        #expect(throws: ImageError.invalidMaxDimension(0)) {
            try Thumbnailer.thumbnail(try ImageFixtures.bytes("rgb-8.png"), maxDimension: 0)
        }
    }

    /// 2,000 seeded mutations of the fixtures: each either throws an `ImageError` or yields a PNG
    /// that decodes and fits the requested size. A crash fails the whole run.
    @Test func randomMutationsNeverCrash() throws {
        let files = ImageFixtures.all.filter { !$0.hasPrefix("large") && !$0.hasPrefix("scene-reference") }
        let originals = try files.map { try ImageFixtures.bytes($0) }
        var random = SplitMix64(state: 0x1A47_1A4E)
        var succeeded = 0
        for _ in 0..<2000 {
            var bytes = originals[Int.random(in: 0..<originals.count, using: &random)]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0: bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
                case 1: bytes[at] = UInt8.random(in: 0...255, using: &random)
                case 2: bytes[at] = [0x00, 0xFF, 0x7F, 0x80][Int.random(in: 0..<4, using: &random)]
                case 3: bytes.removeSubrange(at...)
                case 4:
                    bytes.insert(
                        contentsOf: (0..<Int.random(in: 1...8, using: &random)).map { _ in
                            UInt8.random(in: 0...255, using: &random)
                        }, at: at)
                default: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &random)))
                }
                if bytes.isEmpty { break }
            }
            _ = try? Thumbnailer.inspect(bytes)
            if let png = try? Thumbnailer.thumbnail(bytes, maxDimension: 40) {
                let image = try ImageFixtures.decodePNG(png)
                #expect(max(image.width, image.height) <= 40)
                succeeded += 1
            }
        }
        // Some mutations land in places that do not matter (comments, padding, pixel values).
        #expect(succeeded > 0)
    }
}
