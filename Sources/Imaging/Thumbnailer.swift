/// The two formats accepted for evidence photos.
public enum ImageFormat: String, Sendable {
    case jpeg, png
}

/// What an image is, read from its header alone.
public struct ImageInfo: Sendable, Equatable {
    public var format: ImageFormat
    public var width: Int
    public var height: Int

    public init(format: ImageFormat, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }
}

/// Thumbnails for evidence photos uploaded from phones: JPEG or PNG in, a small PNG out.
public enum Thumbnailer {
    /// The longest side accepted, in pixels.
    public static let maximumSide = 12_000
    /// The most pixels accepted (50 megapixels): bounds every allocation the decoders make.
    public static let maximumPixels = 50_000_000

    /// Sniffs the format from the magic bytes (never the file name), checks the header (dimensions, max 12,000 px a side,
    /// max 50 megapixels), returns what it is or throws.
    public static func inspect(_ bytes: [UInt8]) throws(ImageError) -> ImageInfo {
        switch try sniff(bytes) {
        case .jpeg:
            let frame = try JPEGHeader.read(bytes).frame
            return ImageInfo(format: .jpeg, width: frame.width, height: frame.height)
        case .png:
            let header = try PNGHeader.read(bytes)
            return ImageInfo(format: .png, width: header.width, height: header.height)
        }
    }

    /// A PNG (8-bit RGB, zlib-compressed) no larger than maxDimension on its longest side, aspect kept,
    /// EXIF orientation (JPEG APP1, tags 1–8) applied so a phone photo taken upright stays upright.
    public static func thumbnail(_ bytes: [UInt8], maxDimension: Int = 320) throws(ImageError) -> [UInt8] {
        guard maxDimension >= 1 else { throw .invalidMaxDimension(maxDimension) }
        let image: RGBImage
        switch try sniff(bytes) {
        case .jpeg:
            let header = try JPEGHeader.read(bytes)
            let size = thumbnailSize(width: header.frame.width, height: header.frame.height, maxDimension: maxDimension)
            image = try JPEGDecoder.decode(bytes, header: header, width: size.width, height: size.height)
                .oriented(header.orientation)
        case .png:
            let header = try PNGHeader.read(bytes)
            let size = thumbnailSize(width: header.width, height: header.height, maxDimension: maxDimension)
            image = try PNGDecoder.decode(bytes, header: header, width: size.width, height: size.height)
        }
        return try PNGEncoder.encode(image)
    }

    /// The format named by the first bytes.
    static func sniff(_ bytes: [UInt8]) throws(ImageError) -> ImageFormat {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: PNGHeader.signature) { return .png }
        throw .unrecognisedFormat
    }

    /// Throws unless `width`×`height` is a size the decoders will allocate for.
    static func checkDimensions(width: Int, height: Int) throws(ImageError) {
        guard width > 0, height > 0 else { throw .emptyImage(width: width, height: height) }
        guard width <= maximumSide, height <= maximumSide, width * height <= maximumPixels else {
            throw .tooLarge(width: width, height: height)
        }
    }

    /// The thumbnail's size: the longest side at most `maxDimension`, aspect kept, never enlarged.
    static func thumbnailSize(width: Int, height: Int, maxDimension: Int) -> (width: Int, height: Int) {
        let longest = max(width, height)
        guard longest > maxDimension else { return (width, height) }
        let scaledWidth = max(1, (width * maxDimension + longest / 2) / longest)
        let scaledHeight = max(1, (height * maxDimension + longest / 2) / longest)
        return (min(scaledWidth, maxDimension), min(scaledHeight, maxDimension))
    }
}
