import Testing

@testable import Imaging

@Suite("Thumbnails of the fixtures: sizes and colours")
struct ThumbnailTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var maxDimension: Int
        var width: Int
        var height: Int
        var quadrants: [RGB]
        var tolerance: Int
        var testDescription: String { "\(file) @\(maxDimension)" }
    }

    static let colours: [RGB] = [.red, .green, .blue, .yellow]
    static let greys: [RGB] = [20, 90, 160, 230].map { RGB(grey: $0) }

    static func jpeg(_ file: String, _ maxDimension: Int, _ width: Int, _ height: Int, _ quadrants: [RGB] = colours)
        -> Case
    {
        Case(file: file, maxDimension: maxDimension, width: width, height: height, quadrants: quadrants, tolerance: 10)
    }

    /// The PNG fixtures are 37×29.
    static func png(_ file: String, _ quadrants: [RGB], tolerance: Int = 0, maxDimension: Int = 320) -> Case {
        let (width, height) =
            maxDimension >= 37 ? (37, 29) : Thumbnailer.thumbnailSize(width: 37, height: 29, maxDimension: maxDimension)
        return Case(
            file: file, maxDimension: maxDimension, width: width, height: height, quadrants: quadrants,
            tolerance: tolerance)
    }

    static let jpegs: [Case] = [
        jpeg("quadrants-420.jpg", 320, 64, 48), jpeg("quadrants-420.jpg", 32, 32, 24),
        jpeg("quadrants-422.jpg", 320, 64, 48), jpeg("quadrants-444.jpg", 320, 64, 48),
        jpeg("quadrants-restart.jpg", 320, 64, 48), jpeg("quadrants-progressive.jpg", 48, 48, 36),
        jpeg("grey.jpg", 320, 64, 48, greys),
        // ≤ 1/4 of the image: quarter-block means, no IDCT.
        jpeg("large-420.jpg", 128, 128, 96), jpeg("large-progressive.jpg", 100, 100, 75),
        // Larger than 1/4: the full IDCT path.
        jpeg("large-420.jpg", 320, 320, 240), jpeg("large-progressive.jpg", 400, 400, 300),
    ]

    static let pngs: [Case] = [
        png("grey-1.png", [0, 255, 255, 0].map { RGB(grey: $0) }),
        png("grey-2.png", [0, 85, 170, 255].map { RGB(grey: $0) }),
        png("grey-4-interlaced.png", [0, 85, 170, 255].map { RGB(grey: $0) }),
        png("grey-8.png", greys), png("grey-16.png", greys),
        png("grey-8-transparent.png", [greys[0], .white, greys[2], greys[3]]),  // tRNS key 90 → white
        png("grey-alpha-8.png", [greys[0], greys[1], greys[2], RGB(grey: 127)], tolerance: 1),  // black at alpha 128
        png("rgb-8.png", colours), png("rgb-8-interlaced.png", colours), png("rgb-16.png", colours),
        png("rgba-8.png", [.red, .green, .blue, RGB(grey: 127)], tolerance: 1),
        png("rgba-16-interlaced.png", [.red, .green, .blue, RGB(grey: 127)], tolerance: 1),
        png("palette-1.png", [.red, .blue, .blue, .red]), png("palette-2.png", colours),
        png("palette-4-interlaced.png", colours),
        // Yellow at alpha 128 over white.
        png("palette-8-transparent.png", [.red, .green, .blue, RGB(248, 238, 148)], tolerance: 1),
        png("pillow-palette.png", colours, tolerance: 6),
        // Shrunk by area averaging.
        png("rgb-8-interlaced.png", colours, maxDimension: 20),
    ]

    @Test(arguments: jpegs + pngs)
    func thumbnailHasTheSizeAndQuadrantColours(_ fixture: Case) throws {
        // Given
        let bytes = try ImageFixtures.bytes(fixture.file)
        // When
        let thumbnail = try ImageFixtures.decodePNG(
            try Thumbnailer.thumbnail(bytes, maxDimension: fixture.maxDimension))
        // Then
        #expect(thumbnail.width == fixture.width)
        #expect(thumbnail.height == fixture.height)
        for (found, expected) in zip(thumbnail.quadrantCentres, fixture.quadrants) {
            #expect(found.distance(to: expected) <= fixture.tolerance, "\(found) should be \(expected)")
        }
    }

    @Test(arguments: [
        ("scene.jpg", "scene-reference.png"), ("scene-progressive.jpg", "scene-reference.png"),
        ("odd-420.jpg", "odd-420-reference.png"), ("odd-422.jpg", "odd-422-reference.png"),
    ])
    func fullSizeDecodeMatchesLibjpeg(file: String, referenceFile: String) throws {
        // Given what libjpeg (through Pillow) decodes the file to
        let reference = try ImageFixtures.decodePNG(try ImageFixtures.bytes(referenceFile))
        // When
        let decoded = try ImageFixtures.decodePNG(
            try Thumbnailer.thumbnail(try ImageFixtures.bytes(file), maxDimension: 1000))
        // Then: the same but for rounding (both upsample chroma by linear interpolation, aligned to the last pixel)
        #expect(decoded.width == reference.width && decoded.height == reference.height)
        #expect(decoded.meanDifference(from: reference) < 0.5)
    }

    /// ≤ 1/4 and ≤ 1/8 of the image: quarter-block means from the coefficients, no IDCT. The thumbnail
    /// should match the reference averaged over the same boxes about as well as libjpeg's own scaled decode (≈ 1.0).
    @Test(arguments: [(30, 8, 1.5), (60, 4, 2.0)])
    func reducedDecodeMatchesTheBoxAverageOfTheFullDecode(maxDimension: Int, box: Int, tolerance: Double) throws {
        // Given the reference averaged over box×box squares
        let reference = try ImageFixtures.decodePNG(try ImageFixtures.bytes("scene-reference.png"))
        let (width, height) = (240 / box, 160 / box)
        var boxed = RGBImage(width: width, height: height, pixels: [])
        for by in 0..<height {
            for bx in 0..<width {
                for channel in 0..<3 {
                    var sum = 0
                    for y in (by * box)..<(by * box + box) {
                        for x in (bx * box)..<(bx * box + box) {
                            sum += Int(reference.pixels[(y * 240 + x) * 3 + channel])
                        }
                    }
                    boxed.pixels.append(UInt8((sum + box * box / 2) / (box * box)))
                }
            }
        }
        // When
        let thumbnail = try ImageFixtures.decodePNG(
            try Thumbnailer.thumbnail(try ImageFixtures.bytes("scene.jpg"), maxDimension: maxDimension))
        // Then
        #expect(thumbnail.width == width && thumbnail.height == height)
        #expect(thumbnail.meanDifference(from: boxed) < tolerance)
    }

    @Test func quarterMeansAgreeWithTheIDCT() {
        // Given a block with a DC and a few low frequencies, dequantised
        let block = UnsafeMutablePointer<Int>.allocate(capacity: 64)
        defer { block.deallocate() }
        let coefficients = [0: -120, 1: 90, 8: -60, 9: 30, 3: 25, 24: -18, 2: 40]
        func load() {
            block.update(repeating: 0, count: 64)
            for (index, value) in coefficients { block[index] = value }
        }
        var samples = [UInt8](repeating: 0, count: 64)
        var quarters = [UInt8](repeating: 0, count: 4)
        // When
        load()
        samples.withUnsafeMutableBufferPointer { JPEGIDCT.transform(block, into: $0, offset: 0, stride: 8) }
        load()
        quarters.withUnsafeMutableBufferPointer { JPEGQuarters.means(block, into: $0, offset: 0, stride: 2) }
        // Then each quarter mean is the mean of that quarter of the IDCT, within rounding
        for (index, (x0, y0)) in [(0, 0), (4, 0), (0, 4), (4, 4)].enumerated() {
            let sum = (y0..<(y0 + 4)).flatMap { y in (x0..<(x0 + 4)).map { Int(samples[y * 8 + $0]) } }.reduce(0, +)
            #expect(abs(Double(sum) / 16 - Double(quarters[index])) <= 1)
        }
    }

    @Test(arguments: [
        (320, 4000, 3000, 320, 240), (320, 3000, 4000, 240, 320), (320, 100, 50, 100, 50), (1, 4000, 3000, 1, 1),
        (320, 12_000, 1, 320, 1), (64, 65, 64, 64, 63),
    ])
    func thumbnailSizeKeepsTheAspectAndNeverEnlarges(
        maxDimension: Int, width: Int, height: Int, expectedWidth: Int, expectedHeight: Int
    ) {
        let size = Thumbnailer.thumbnailSize(width: width, height: height, maxDimension: maxDimension)
        #expect(size.width == expectedWidth && size.height == expectedHeight)
    }
}
