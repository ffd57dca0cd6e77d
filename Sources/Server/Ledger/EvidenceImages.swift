import Imaging

/// Photos as evidence: checked to be a real, readable picture of sane size, with a thumbnail made for the
/// case page (PNG, at most 320 px on its longest side, upright per the photo's EXIF orientation).
enum EvidenceImages {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Decoding a 12-megapixel photo takes 0.2–0.4 s of CPU: callers run this on the thread pool.
    static func inspectAndThumbnail(_ bytes: [UInt8]) throws -> (width: Int?, height: Int?, thumbnail: [UInt8]?) {
        do {
            let info = try Thumbnailer.inspect(bytes)
            return (info.width, info.height, try Thumbnailer.thumbnail(bytes, maxDimension: 320))
        } catch {
            throw Failure(description: error.description)
        }
    }
}
