/// Photos as evidence. Until the image decoder (`Imaging`) joins the build, a photo is accepted on its
/// signature alone and has no thumbnail (`hasThumbnail` false; the pages show the file's name).
enum EvidenceImages {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func inspectAndThumbnail(_ bytes: [UInt8]) throws -> (width: Int?, height: Int?, thumbnail: [UInt8]?) {
        (nil, nil, nil)
    }
}
