import Testing

@testable import Imaging

@Suite("Inspect: the format from magic bytes, the size from the header")
struct InspectTests {
    @Test(arguments: [
        ("quadrants-420.jpg", ImageFormat.jpeg, 64, 48), ("quadrants-progressive.jpg", .jpeg, 64, 48),
        ("grey.jpg", .jpeg, 64, 48), ("large-420.jpg", .jpeg, 1024, 768), ("orientation-8.jpg", .jpeg, 24, 32),
        ("rgb-8.png", .png, 37, 29), ("palette-4-interlaced.png", .png, 37, 29),
        // The header is intact; only thumbnail() reads far enough to find the damage.
        ("truncated.jpg", .jpeg, 64, 48), ("bad-crc.png", .png, 37, 29),
    ])
    func headerGivesFormatAndSize(file: String, format: ImageFormat, width: Int, height: Int) throws {
        #expect(
            try Thumbnailer.inspect(try ImageFixtures.bytes(file))
                == ImageInfo(format: format, width: width, height: height))
    }

    @Test func theFileNameIsNeverConsulted() throws {
        // Given a text file named .jpg
        let text = try ImageFixtures.bytes("not-an-image.jpg")
        // Then neither call accepts it
        #expect(throws: ImageError.unrecognisedFormat) { try Thumbnailer.inspect(text) }
        #expect(throws: ImageError.unrecognisedFormat) { try Thumbnailer.thumbnail(text) }
        #expect(throws: ImageError.unrecognisedFormat) { try Thumbnailer.inspect([]) }
    }

    @Test(arguments: [
        (12_001, 10, ImageError.tooLarge(width: 12_001, height: 10)),
        (10, 12_001, .tooLarge(width: 10, height: 12_001)),
        (8000, 7000, .tooLarge(width: 8000, height: 7000)), (0, 10, .emptyImage(width: 0, height: 10)),
        (65_535, 65_535, .tooLarge(width: 65_535, height: 65_535)),
    ])
    func oversizedOrEmptyJPEGHeadersAreRefused(width: Int, height: Int, error: ImageError) {
        #expect(throws: error) { try Thumbnailer.inspect(Hostile.jpegHeader(width: width, height: height)) }
        #expect(throws: error) { try Thumbnailer.thumbnail(Hostile.jpegHeader(width: width, height: height)) }
    }

    @Test(arguments: [
        (12_001, 10, ImageError.tooLarge(width: 12_001, height: 10)),
        (7072, 7072, .tooLarge(width: 7072, height: 7072)),
        (0, 0, .emptyImage(width: 0, height: 0)),
        (2_147_483_647, 2_147_483_647, .tooLarge(width: 2_147_483_647, height: 2_147_483_647)),
    ])
    func oversizedOrEmptyPNGHeadersAreRefused(width: Int, height: Int, error: ImageError) {
        let png = Hostile.png(width: width, height: height, depth: 8, colourType: 0, idat: [])
        #expect(throws: error) { try Thumbnailer.inspect(png) }
    }

    @Test(arguments: [
        (UInt8(0xC2), 8, 3, "渐进", true), (0xC9, 8, 3, "arithmetic-coded", false), (0xCA, 8, 3, "算术编码", false),
        (0xC3, 8, 3, "lossless JPEG", false), (0xC1, 12, 3, "12-bit JPEG", false), (0xC0, 8, 4, "CMYK", false),
        (0xC5, 8, 3, "hierarchical", false),
    ])
    func unsupportedProcessesAreNamed(marker: UInt8, precision: UInt8, components: Int, named: String, accepted: Bool)
        throws
    {
        let bytes = Hostile.jpegHeader(
            width: 64, height: 48, marker: marker, precision: precision, components: components)
        if accepted {
            #expect(try Thumbnailer.inspect(bytes).width == 64)
        } else {
            let error = #expect(throws: ImageError.self) { try Thumbnailer.inspect(bytes) }
            guard case .unsupported = error else {
                Issue.record("expected unsupported, got \(String(describing: error))")
                return
            }
            #expect(error?.description.contains(named) == true)
        }
    }

    @Test func errorMessagesPutChineseFirst() {
        let errors: [ImageError] = [
            .unrecognisedFormat, .truncated(zh: "中断", en: "cut"), .corrupt(zh: "损坏", en: "bad"),
            .unsupported(zh: "不支持", en: "no"), .tooLarge(width: 1, height: 2), .emptyImage(width: 0, height: 0),
            .invalidMaxDimension(0),
        ]
        for error in errors {
            let firstLatin = error.description.firstIndex { $0.isASCII && $0.isLetter }!
            let firstHan = error.description.firstIndex { $0.unicodeScalars.first!.value >= 0x4E00 }!
            #expect(firstHan < firstLatin, "\(error)")
        }
    }
}
