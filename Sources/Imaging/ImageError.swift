/// Why an image could not be inspected or thumbnailed. Each message names what is wrong,
/// in Chinese first and then in English, so it can be shown to a grid worker as it is.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither a JPEG nor a PNG signature (the file name is never consulted).
    case unrecognisedFormat
    /// The data ends before the image does.
    case truncated(zh: String, en: String)
    /// The data contradicts the format (bad CRC, bad Huffman table, impossible header field…).
    case corrupt(zh: String, en: String)
    /// A legitimate variant this decoder does not handle (arithmetic coding, 12-bit, CMYK…).
    case unsupported(zh: String, en: String)
    /// Wider or taller than `Thumbnailer.maximumSide`, or more pixels than `Thumbnailer.maximumPixels`.
    case tooLarge(width: Int, height: Int)
    /// A zero width or height.
    case emptyImage(width: Int, height: Int)
    /// `maxDimension` must be at least 1.
    case invalidMaxDimension(Int)

    public var description: String {
        switch self {
        case .unrecognisedFormat:
            return "无法识别的图片格式（只接受 JPEG 和 PNG）。Unrecognised image format: only JPEG and PNG are accepted."
        case .truncated(let zh, let en):
            return "图片数据不完整：\(zh)。Truncated image: \(en)."
        case .corrupt(let zh, let en):
            return "图片数据已损坏：\(zh)。Corrupt image: \(en)."
        case .unsupported(let zh, let en):
            return "不支持的图片类型：\(zh)。Unsupported image: \(en)."
        case .tooLarge(let width, let height):
            return "图片尺寸过大（\(width)×\(height)，每边最多 \(Thumbnailer.maximumSide) 像素，"
                + "总计最多 \(Thumbnailer.maximumPixels / 1_000_000) 百万像素）。"
                + "Image too large (\(width)×\(height); at most \(Thumbnailer.maximumSide) px a side "
                + "and \(Thumbnailer.maximumPixels / 1_000_000) megapixels)."
        case .emptyImage(let width, let height):
            return "图片尺寸为零（\(width)×\(height)）。Empty image (\(width)×\(height))."
        case .invalidMaxDimension(let value):
            return "缩略图边长必须至少为 1（收到 \(value)）。Thumbnail size must be at least 1 (got \(value))."
        }
    }
}
