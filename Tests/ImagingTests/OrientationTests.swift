import Testing

@testable import Imaging

@Suite("EXIF orientation: a phone photo taken upright stays upright")
struct OrientationTests {
    /// Each fixture is stored turned or mirrored so that, displayed per its EXIF tag, it shows
    /// red top-left, green top-right, blue bottom-left and yellow bottom-right (checked with Pillow's exif_transpose).
    @Test(arguments: 2...8)
    func thumbnailIsDisplayedUpright(orientation: Int) throws {
        // Given
        let bytes = try ImageFixtures.bytes("orientation-\(orientation).jpg")
        #expect(try JPEGHeader.read(bytes).orientation == orientation)
        // When
        let thumbnail = try ImageFixtures.decodePNG(try Thumbnailer.thumbnail(bytes))
        // Then
        #expect(thumbnail.width == 32 && thumbnail.height == 24)
        for (found, expected) in zip(thumbnail.quadrantCentres, [RGB.red, .green, .blue, .yellow]) {
            #expect(found.distance(to: expected) <= 12, "\(found) should be \(expected)")
        }
    }

    @Test func rotatedNinetyDegreesSwapsTheSidesOfTheThumbnail() throws {
        // Given a 24×32 stored image tagged orientation 6 (rotate 90° clockwise to display)
        let bytes = try ImageFixtures.bytes("orientation-6.jpg")
        #expect(try Thumbnailer.inspect(bytes) == ImageInfo(format: .jpeg, width: 24, height: 32))
        // When the thumbnail must fit 16 px
        let thumbnail = try ImageFixtures.decodePNG(try Thumbnailer.thumbnail(bytes, maxDimension: 16))
        // Then it is landscape, as displayed
        #expect(thumbnail.width == 16 && thumbnail.height == 12)
        #expect(thumbnail.pixel(0, 0).distance(to: .red) <= 12)
        #expect(thumbnail.pixel(15, 11).distance(to: .yellow) <= 12)
    }

    /// A 3×2 image with distinct pixels 0…5, and where each ends up (EXIF 2.3 tag 0x0112).
    @Test(arguments: [
        (1, 3, [0, 1, 2, 3, 4, 5]), (2, 3, [2, 1, 0, 5, 4, 3]), (3, 3, [5, 4, 3, 2, 1, 0]), (4, 3, [3, 4, 5, 0, 1, 2]),
        (5, 2, [0, 3, 1, 4, 2, 5]), (6, 2, [3, 0, 4, 1, 5, 2]), (7, 2, [5, 2, 4, 1, 3, 0]), (8, 2, [2, 5, 1, 4, 0, 3]),
        (9, 3, [0, 1, 2, 3, 4, 5]),
    ])
    func everyOrientationMovesPixelsAsTheStandardSays(orientation: Int, width: Int, order: [Int]) {
        let image = RGBImage(width: 3, height: 2, pixels: (0..<6).flatMap { [UInt8($0), 0, 0] })
        let shown = image.oriented(orientation)
        #expect(shown.width == width)
        #expect(stride(from: 0, to: shown.pixels.count, by: 3).map { Int(shown.pixels[$0]) } == order)
    }

    @Test func exifWithoutOrientationOrMalformedIsUpright() {
        let bigEndianNoTag: [UInt8] = Array("Exif".utf8) + [0, 0, 0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 0]
        #expect(EXIF.orientation(bigEndianNoTag[...]) == nil)
        let pointsOutside: [UInt8] = Array("Exif".utf8) + [0, 0, 0x49, 0x49, 42, 0, 0xFF, 0xFF, 0xFF, 0x7F]
        #expect(EXIF.orientation(pointsOutside[...]) == nil)
        let bigEndianSix: [UInt8] =
            Array("Exif".utf8) + [0, 0, 0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]
        #expect(EXIF.orientation(bigEndianSix[...]) == 6)
    }
}
