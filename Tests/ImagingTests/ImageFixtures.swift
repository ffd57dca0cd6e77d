import Foundation
import Testing

@testable import Imaging

/// The committed fixtures in `Tests/Fixtures/images` (see the README there) and helpers to read thumbnails back.
enum ImageFixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/images")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// Every image fixture, for the mutation test.
    static var all: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") }.sorted()
    }

    /// A thumbnail (or any PNG) read back with the package's own decoder, at full size.
    static func decodePNG(_ png: [UInt8]) throws -> RGBImage {
        let header = try PNGHeader.read(png)
        return try PNGDecoder.decode(png, header: header, width: header.width, height: header.height)
    }
}

/// An RGB colour with a tolerance-aware comparison, for assertions on decoded pixels.
struct RGB: Equatable, CustomStringConvertible, Sendable {
    var red: Int, green: Int, blue: Int

    init(_ red: Int, _ green: Int, _ blue: Int) {
        (self.red, self.green, self.blue) = (red, green, blue)
    }

    init(grey: Int) { self.init(grey, grey, grey) }

    static let red = RGB(220, 30, 30)
    static let green = RGB(30, 200, 60)
    static let blue = RGB(40, 60, 210)
    static let yellow = RGB(240, 220, 40)
    static let white = RGB(255, 255, 255)

    var description: String { "(\(red), \(green), \(blue))" }

    func distance(to other: RGB) -> Int {
        max(abs(red - other.red), abs(green - other.green), abs(blue - other.blue))
    }
}

extension RGBImage {
    func pixel(_ x: Int, _ y: Int) -> RGB {
        let at = (y * width + x) * 3
        return RGB(Int(pixels[at]), Int(pixels[at + 1]), Int(pixels[at + 2]))
    }

    /// The centres of the top-left, top-right, bottom-left and bottom-right quadrants.
    var quadrantCentres: [RGB] {
        [
            pixel(width / 4, height / 4), pixel(width * 3 / 4, height / 4),
            pixel(width / 4, height * 3 / 4), pixel(width * 3 / 4, height * 3 / 4),
        ]
    }

    /// The mean absolute difference per channel from an image of the same size.
    func meanDifference(from other: RGBImage) -> Double {
        let total = zip(pixels, other.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        return Double(total) / Double(pixels.count)
    }
}
