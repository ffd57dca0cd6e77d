import Campaign
import FluentKit
import Foundation
import Store

/// The demo's region boundaries: Beijing, its districts and one street (township) around each demo station,
/// drawn as simple polygons around the real coordinates. They are demo geometry, not surveyed boundaries,
/// and every feature says so (`demo: true`), as the API and the GeoJSON layer do.
///
/// Committed as `Resources/Demo/beijing-regions.geojson` and loaded through the same import as any
/// region file, so the demo exercises the checks; a second seed changes nothing.
public enum BeijingDemoRegions {
    public static func path(resourcesDirectory: String) -> String {
        resourcesDirectory + (resourcesDirectory.hasSuffix("/") ? "" : "/") + "Demo/beijing-regions.geojson"
    }

    public static func features(resourcesDirectory: String) throws -> [RegionFeature] {
        let file = path(resourcesDirectory: resourcesDirectory)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw DemoError(message: "找不到演示区域文件 \(file)（请在仓库根目录运行）/ demo region file missing")
        }
        return try GeoJSON.regionFeatures(data)
    }

    /// Imports the demo boundaries (after `BeijingDemo.seed`, which writes the districts without them).
    @discardableResult
    public static func seed(resourcesDirectory: String, database: any Database) async throws -> RegionImportSummary {
        try await RegionRepository(database: database).importRegions(
            try features(resourcesDirectory: resourcesDirectory), by: .system("demo seed"))
    }
}
