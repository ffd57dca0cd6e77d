/// From component planes to the RGB thumbnail.
extension JPEGDecoder {
    /// Each component's meaningful samples as a plane (4×4 means in `quarters` mode).
    func plane(_ component: Int) -> Plane {
        let layout = frame.components[component]
        let hMax = frame.components.map(\.horizontal).max()!
        let vMax = frame.components.map(\.vertical).max()!
        let reduction = quarters[component] ? 4 : 1
        return Plane(
            width: (layout.width + reduction - 1) / reduction, height: (layout.height + reduction - 1) / reduction,
            stride: layout.blocksPerLine * 8 / reduction, samples: planes[component],
            imageWidth: frame.width, imageHeight: frame.height,
            scaleX: hMax / layout.horizontal * reduction, scaleY: vMax / layout.vertical * reduction)
    }

    /// Averages each plane to the thumbnail size — chroma included, which the YCbCr→RGB map, being affine,
    /// permits — then converts. Three components are RGB only when an Adobe APP14 says so or their ids spell it.
    func image(width: Int, height: Int, adobeTransform: Int?) -> RGBImage {
        let channels = frame.components.indices.map { plane($0).resampled(width: width, height: height) }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let count = width * height
        if channels.count == 1 {
            for i in 0..<count {
                pixels[i * 3] = channels[0][i]
                pixels[i * 3 + 1] = channels[0][i]
                pixels[i * 3 + 2] = channels[0][i]
            }
        } else if adobeTransform == 0 || frame.components.map(\.id) == [0x52, 0x47, 0x42] {
            for i in 0..<count {
                for c in 0..<3 { pixels[i * 3 + c] = channels[c][i] }
            }
        } else {
            // JFIF 1.02 YCbCr → RGB, in 16-bit fixed point.
            for i in 0..<count {
                let y = Int(channels[0][i]) << 16 + 32768
                let cb = Int(channels[1][i]) - 128
                let cr = Int(channels[2][i]) - 128
                pixels[i * 3] = UInt8(clamping: (y + 91881 * cr) >> 16)
                pixels[i * 3 + 1] = UInt8(clamping: (y - 22554 * cb - 46802 * cr) >> 16)
                pixels[i * 3 + 2] = UInt8(clamping: (y + 116130 * cb) >> 16)
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
