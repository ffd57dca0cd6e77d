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

    static let jpegs: [Case] = [
        Case(file: "quadrants-420.jpg", maxDimension: 320, width: 64, height: 48, quadrants: colours, tolerance: 10),
        Case(file: "quadrants-420.jpg", maxDimension: 32, width: 32, height: 24, quadrants: colours, tolerance: 10),
        Case(file: "quadrants-422.jpg", maxDimension: 320, width: 64, height: 48, quadrants: colours, tolerance: 10),
        Case(file: "quadrants-444.jpg", maxDimension: 320, width: 64, height: 48, quadrants: colours, tolerance: 10),
        Case(
            file: "quadrants-restart.jpg", maxDimension: 320, width: 64, height: 48, quadrants: colours, tolerance: 10),
        Case(
            file: "quadrants-progressive.jpg", maxDimension: 48, width: 48, height: 36, quadrants: colours,
            tolerance: 10),
        Case(file: "grey.jpg", maxDimension: 320, width: 64, height: 48, quadrants: greys, tolerance: 4),
        // ≤ 1/4 of the image: quarter-block means, no IDCT.
        Case(file: "large-420.jpg", maxDimension: 128, width: 128, height: 96, quadrants: colours, tolerance: 10),
        Case(
            file: "large-progressive.jpg", maxDimension: 100, width: 100, height: 75, quadrants: colours, tolerance: 10),
        // Larger than 1/4: the full IDCT path.
        Case(file: "large-420.jpg", maxDimension: 320, width: 320, height: 240, quadrants: colours, tolerance: 10),
        Case(
            file: "large-progressive.jpg", maxDimension: 400, width: 400, height: 300, quadrants: colours, tolerance: 10
        ),
    ]

    static let pngs: [Case] = [
        Case(
            file: "grey-1.png", maxDimension: 320, width: 37, height: 29,
            quadrants: [0, 255, 255, 0].map { RGB(grey: $0) }, tolerance: 0),
        Case(
            file: "grey-2.png", maxDimension: 320, width: 37, height: 29,
            quadrants: [0, 85, 170, 255].map { RGB(grey: $0) }, tolerance: 0),
        Case(
            file: "grey-4-interlaced.png", maxDimension: 320, width: 37, height: 29,
            quadrants: [0, 85, 170, 255].map { RGB(grey: $0) }, tolerance: 0),
        Case(file: "grey-8.png", maxDimension: 320, width: 37, height: 29, quadrants: greys, tolerance: 0),
        Case(file: "grey-16.png", maxDimension: 320, width: 37, height: 29, quadrants: greys, tolerance: 0),
        Case(
            file: "grey-8-transparent.png", maxDimension: 320, width: 37, height: 29,
            quadrants: [greys[0], .white, greys[2], greys[3]], tolerance: 0),
        Case(
            file: "grey-alpha-8.png", maxDimension: 320, width: 37, height: 29,
            quadrants: [greys[0], greys[1], greys[2], RGB(grey: 127)], tolerance: 1),
        Case(file: "rgb-8.png", maxDimension: 320, width: 37, height: 29, quadrants: colours, tolerance: 0),
        Case(file: "rgb-8-interlaced.png", maxDimension: 320, width: 37, height: 29, quadrants: colours, tolerance: 0),
        Case(file: "rgb-16.png", maxDimension: 320, width: 37, height: 29, quadrants: colours, tolerance: 0),
        Case(
            file: "rgba-8.png", maxDimension: 320, width: 37, height: 29,
            quadrants: [.red, .green, .blue, RGB(grey: 127)], tolerance: 1),
        Case(
            file: "rgba-16-interlaced.png", maxDimension: 320, width: 37, height: 29,
            quadrants: [.red, .green, .blue, RGB(grey: 127)], tolerance: 1),
        Case(
            file: "palette-1.png", maxDimension: 320, width: 37, height: 29, quadrants: [.red, .blue, .blue, .red],
            tolerance: 0),
        Case(file: "palette-2.png", maxDimension: 320, width: 37, height: 29, quadrants: colours, tolerance: 0),
        Case(
            file: "palette-4-interlaced.png", maxDimension: 320, width: 37, height: 29, quadrants: colours, tolerance: 0
        ),
        // Yellow at alpha 128 over white.
        Case(
            file: "palette-8-transparent.png", maxDimension: 320, width: 37, height: 29,
            quadrants: [.red, .green, .blue, RGB(248, 238, 148)], tolerance: 1),
        Case(file: "pillow-palette.png", maxDimension: 320, width: 37, height: 29, quadrants: colours, tolerance: 6),
        // Shrunk: 37×29 → 20×16 by area averaging.
        Case(file: "rgb-8-interlaced.png", maxDimension: 20, width: 20, height: 16, quadrants: colours, tolerance: 0),
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
