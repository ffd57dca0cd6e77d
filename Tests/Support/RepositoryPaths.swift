import Foundation

/// Paths inside the repository, found from this file's location.
public enum RepositoryPaths {
    /// The package root (the folder holding `Package.swift`).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    public static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures") }

    /// The `lantian` executable built beside the test bundle (`swift build --build-tests` builds both).
    public static var lantianBinary: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // The test product may be a bundle folder (`…/lantianPackageTests.xctest/…`) or a plain file.
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("lantian")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue
            {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/lantian")
    }
}
