/// An 8-bit RGB image, rows top to bottom, three bytes a pixel.
struct RGBImage: Equatable {
    var width: Int
    var height: Int
    var pixels: [UInt8]

    /// The image as it should be displayed under EXIF orientation `orientation` (1–8; anything else is 1).
    /// Orientations 5–8 swap width and height.
    func oriented(_ orientation: Int) -> RGBImage {
        guard (2...8).contains(orientation) else { return self }
        let swapsAxes = orientation >= 5
        let outWidth = swapsAxes ? height : width
        let outHeight = swapsAxes ? width : height
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                // The stored pixel shown at (x, y) — EXIF 2.3, tag 0x0112.
                let (sx, sy): (Int, Int)
                switch orientation {
                case 2: (sx, sy) = (width - 1 - x, y)
                case 3: (sx, sy) = (width - 1 - x, height - 1 - y)
                case 4: (sx, sy) = (x, height - 1 - y)
                case 5: (sx, sy) = (y, x)
                case 6: (sx, sy) = (y, height - 1 - x)
                case 7: (sx, sy) = (width - 1 - y, height - 1 - x)
                default: (sx, sy) = (width - 1 - y, x)  // 8
                }
                let from = (sy * width + sx) * 3
                let to = (y * outWidth + x) * 3
                out[to] = pixels[from]
                out[to + 1] = pixels[from + 1]
                out[to + 2] = pixels[from + 2]
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }
}

/// One 8-bit channel: `width`×`height` meaningful samples in rows `stride` apart, each sample standing for
/// `scaleX`×`scaleY` pixels of an image `imageWidth`×`imageHeight` (chroma at half resolution has scale 2).
struct Plane {
    var width: Int
    var height: Int
    var stride: Int
    var samples: [UInt8]
    var imageWidth: Int
    var imageHeight: Int
    var scaleX: Int
    var scaleY: Int

    /// The plane resampled onto a `targetWidth`×`targetHeight` grid covering the image, each axis on its own:
    /// shrinking averages the box of samples each target pixel covers; enlarging (chroma planes coarser than
    /// the thumbnail) interpolates linearly between sample centres, as libjpeg's "fancy" upsampling does.
    func resampled(width targetWidth: Int, height targetHeight: Int) -> [UInt8] {
        let columns = Self.taps(samples: width, scale: scaleX, image: imageWidth, target: targetWidth)
        let rows = Self.taps(samples: height, scale: scaleY, image: imageHeight, target: targetHeight)
        var out = [UInt8](repeating: 0, count: targetWidth * targetHeight)
        var sums = [Int](repeating: 0, count: targetWidth)
        samples.withUnsafeBufferPointer { source in
            for ty in 0..<targetHeight {
                for tx in 0..<targetWidth { sums[tx] = 0 }
                for (y, rowWeight) in rows[ty].taps {
                    let row = y * stride
                    for tx in 0..<targetWidth {
                        var sum = 0
                        for (x, weight) in columns[tx].taps { sum += Int(source[row + x]) * weight }
                        sums[tx] += sum * rowWeight
                    }
                }
                for tx in 0..<targetWidth {
                    let total = rows[ty].total * columns[tx].total
                    out[ty * targetWidth + tx] = UInt8((sums[tx] + total / 2) / total)
                }
            }
        }
        return out
    }

    /// For each of `target` pixels across an image `image` pixels wide, the samples (each `scale` pixels wide,
    /// `samples` of them) it draws on, with integer weights and their sum.
    static func taps(samples: Int, scale: Int, image: Int, target: Int) -> [(taps: [(Int, Int)], total: Int)] {
        (0..<target).map { index in
            if target * scale <= image {
                // Sample i covers pixels [i·scale, (i+1)·scale); target pixel t covers [t·image/target, …).
                let start = min(index * image / (target * scale), samples - 1)
                let end = max(start + 1, min((index + 1) * image / (target * scale), samples))
                return ((start..<end).map { ($0, 1) }, end - start)
            }
            // The target pixel's centre in sample coordinates (sample centres at i + ½), in 1/256ths.
            let centre = (2 * index + 1) * image * 128 / (target * scale) - 128
            let clamped = max(0, min((samples - 1) * 256, centre))
            let (whole, fraction) = (clamped / 256, clamped % 256)
            return ([(whole, 256 - fraction), (min(whole + 1, samples - 1), fraction)], 256)
        }
    }
}

/// Sums full-size RGB pixels into the thumbnail grid they fall in (an area average), so a decoder
/// never holds the full-size RGB image. Only for shrinking: every target pixel receives at least one source pixel.
struct AreaAccumulator {
    let width: Int
    let height: Int
    private let columnOf: [Int]
    private let rowOf: [Int]
    private var sums: [Int]
    private var counts: [Int]

    init(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
        self.width = width
        self.height = height
        columnOf = (0..<sourceWidth).map { $0 * width / sourceWidth }
        rowOf = (0..<sourceHeight).map { $0 * height / sourceHeight }
        sums = [Int](repeating: 0, count: width * height * 3)
        counts = [Int](repeating: 0, count: width * height)
    }

    @inline(__always)
    mutating func add(x: Int, y: Int, red: UInt8, green: UInt8, blue: UInt8) {
        let index = rowOf[y] * width + columnOf[x]
        counts[index] += 1
        sums[index * 3] += Int(red)
        sums[index * 3 + 1] += Int(green)
        sums[index * 3 + 2] += Int(blue)
    }

    var image: RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for index in 0..<(width * height) {
            let count = max(1, counts[index])
            for channel in 0..<3 {
                pixels[index * 3 + channel] = UInt8((sums[index * 3 + channel] + count / 2) / count)
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
