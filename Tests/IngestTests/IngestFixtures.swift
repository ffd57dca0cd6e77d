import Foundation

/// Reads fixture files from `Tests/Fixtures`, found by walking up from this file to the folder holding
/// `Package.swift` and `Tests/Fixtures` (works in the main package and in a development package that
/// links these folders).
enum IngestFixtures {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let manager = FileManager.default
        while url.path != "/" {
            let fixtures = url.appendingPathComponent("Tests/Fixtures")
            if manager.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
                manager.fileExists(atPath: fixtures.path)
            {
                return fixtures
            }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "Tests/Fixtures")
    }()

    /// The file's text; the test fails when it is missing rather than passing on nothing.
    static func text(_ path: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
    }

    /// `/work/shared/data` or `LANTIAN_SHARED_DATA`, when present (large files not committed here).
    static let sharedData: URL? = {
        let manager = FileManager.default
        if let env = ProcessInfo.processInfo.environment["LANTIAN_SHARED_DATA"] {
            return manager.fileExists(atPath: env) ? URL(fileURLWithPath: env) : nil
        }
        let root = directory.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        for candidate in [
            root.deletingLastPathComponent().appendingPathComponent("shared/data"),
            URL(fileURLWithPath: "/work/shared/data"),
        ] where manager.fileExists(atPath: candidate.path) {
            return candidate
        }
        return nil
    }()
}
