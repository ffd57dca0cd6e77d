import Foundation

/// Locates committed fixtures and the shared data folder from any checkout layout.
enum TestData {
    /// The package root: the nearest folder above this file holding `Package.swift` and `Tests/Fixtures`.
    static func packageRoot(from file: String = #filePath) -> URL? {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        let manager = FileManager.default
        while directory.path != "/" {
            if manager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
                manager.fileExists(atPath: directory.appendingPathComponent("Tests/Fixtures").path)
            {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// `Tests/Fixtures` (symlinks resolved).
    static var fixtures: URL? {
        if let env = ProcessInfo.processInfo.environment["LANTIAN_FIXTURES"] { return URL(fileURLWithPath: env) }
        return packageRoot()?.appendingPathComponent("Tests/Fixtures").resolvingSymlinksInPath()
    }

    /// The shared data folder: `LANTIAN_SHARED_DATA`, else `<repo root>/../shared/data`, where the repo
    /// root is the folder holding the (symlink-resolved) `Tests/Fixtures`.
    static var sharedData: URL? {
        let manager = FileManager.default
        if let env = ProcessInfo.processInfo.environment["LANTIAN_SHARED_DATA"] {
            return manager.fileExists(atPath: env) ? URL(fileURLWithPath: env) : nil
        }
        var candidates: [URL] = []
        if let fixtures { candidates.append(fixtures.deletingLastPathComponent().deletingLastPathComponent()) }
        if let root = packageRoot() { candidates.append(root) }
        for root in candidates {
            let data = root.deletingLastPathComponent().appendingPathComponent("shared/data")
            if manager.fileExists(atPath: data.path) { return data }
        }
        return nil
    }

    /// CSV files in `folder`, sorted by name.
    static func csvFiles(in folder: URL?) -> [URL] {
        guard let folder,
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".csv") }.sorted().map { folder.appendingPathComponent($0) }
    }

    static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }
}
