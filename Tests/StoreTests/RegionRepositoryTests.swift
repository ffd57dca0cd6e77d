import Campaign
import FluentKit
import Foundation
import LantianTestSupport
import SQLKit
import Testing

@testable import Store

/// GeoJSON region files for the tests: a feature is written out by hand so that bad ones can be too.
enum RegionFile {
    static func rectangle(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> String {
        "[[[\(x0),\(y0)],[\(x1),\(y0)],[\(x1),\(y1)],[\(x0),\(y1)],[\(x0),\(y0)]]]"
    }

    static func feature(
        code: String, name: String = "区域", level: String, parent: String? = nil,
        coordinates: String, type: String = "Polygon", demo: Bool = false
    ) -> String {
        let parentJSON = parent.map { "\"\($0)\"" } ?? "null"
        return """
            {"type":"Feature","properties":{"code":"\(code)","name":"\(name)","level":"\(level)","parent":\(parentJSON),\
            "demo":\(demo)},"geometry":{"type":"\(type)","coordinates":\(coordinates)}}
            """
    }

    static func collection(_ features: [String]) -> Data {
        Data((#"{"type":"FeatureCollection","features":["# + features.joined(separator: ",\n") + "]}").utf8)
    }

    /// A city, two districts and a street in one of them, boundaries nested.
    static let good: [String] = [
        feature(code: "110000", name: "北京市", level: "city", coordinates: rectangle(116.0, 39.6, 117.0, 40.4)),
        feature(
            code: "110101", name: "东城区", level: "county", parent: "110000",
            coordinates: rectangle(116.395, 39.865, 116.445, 39.975)),
        feature(
            code: "110102", name: "西城区", level: "county", parent: "110000",
            coordinates: rectangle(116.32, 39.865, 116.395, 39.975)),
        feature(
            code: "110101006", name: "东四街道", level: "township", parent: "110101",
            coordinates: rectangle(116.41, 39.922, 116.425, 39.936)),
    ]
}

/// Each kind of bad feature the issue names, and the words its refusal must contain.
enum BadFeature: String, CaseIterable, Sendable, CustomStringConvertible {
    case unclosedRing, selfIntersection, wrongWinding, outOfRange, missingParent, duplicateCode, levelNotBelowParent
    case notAPolygon, missingName, unknownLevel

    var description: String { rawValue }

    var feature: String {
        switch self {
        case .unclosedRing:
            RegionFile.feature(
                code: "X1", level: "township", parent: "110101",
                coordinates: "[[[116.40,39.90],[116.41,39.90],[116.41,39.91],[116.40,39.91]]]")
        case .selfIntersection:
            RegionFile.feature(
                code: "X1", level: "township", parent: "110101",
                coordinates: "[[[116.40,39.90],[116.41,39.91],[116.41,39.90],[116.40,39.91],[116.40,39.90]]]")
        case .wrongWinding:
            RegionFile.feature(
                code: "X1", level: "township", parent: "110101",
                coordinates: "[[[116.40,39.90],[116.40,39.91],[116.41,39.91],[116.41,39.90],[116.40,39.90]]]")
        case .outOfRange:
            RegionFile.feature(
                code: "X1", level: "township", parent: "110101",
                coordinates: "[[[116.40,89.90],[116.41,89.90],[116.41,95.0],[116.40,95.0],[116.40,89.90]]]")
        case .missingParent:
            RegionFile.feature(
                code: "X1", level: "township", parent: "110199",
                coordinates: RegionFile.rectangle(116.40, 39.90, 116.41, 39.91))
        case .duplicateCode:
            RegionFile.feature(
                code: "110101", level: "county", parent: "110000",
                coordinates: RegionFile.rectangle(116.40, 39.90, 116.41, 39.91))
        case .levelNotBelowParent:
            RegionFile.feature(
                code: "X1", level: "county", parent: "110101",
                coordinates: RegionFile.rectangle(116.40, 39.90, 116.41, 39.91))
        case .notAPolygon:
            RegionFile.feature(
                code: "X1", level: "township", parent: "110101", coordinates: "[116.40,39.90]", type: "Point")
        case .missingName:
            #"{"type":"Feature","properties":{"code":"X1","level":"township","parent":"110101"},"geometry":{"type":"Polygon","coordinates":"#
                + RegionFile.rectangle(116.40, 39.90, 116.41, 39.91) + "}}"
        case .unknownLevel:
            RegionFile.feature(
                code: "X1", level: "village", parent: "110101",
                coordinates: RegionFile.rectangle(116.40, 39.90, 116.41, 39.91))
        }
    }

    /// Words the refusal carries, Chinese and English.
    var reason: [String] {
        switch self {
        case .unclosedRing: ["环未闭合", "ring not closed"]
        case .selfIntersection: ["自相交", "intersects itself"]
        case .wrongWinding: ["逆时针", "counter-clockwise"]
        case .outOfRange: ["超出经纬度范围", "out of range"]
        case .missingParent: ["上级区域 110199 不存在", "no region 110199"]
        case .duplicateCode: ["与第 2 个要素重复", "repeats feature 2"]
        case .levelNotBelowParent: ["应低于上级区域 110101", "must be below the parent"]
        case .notAPolygon: ["Polygon 或 MultiPolygon", "not Point"]
        case .missingName: ["缺少名称", "name is missing"]
        case .unknownLevel: ["级别“village”无效", "level must be one of"]
        }
    }
}

@Suite("Region repository and GeoJSON import")
struct RegionRepositoryTests {
    static func auditCount(_ db: any Database) async throws -> Int {
        let row = try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM audit_log").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    @Test(arguments: TestDatabase.all)
    func importsATreeAuditsItAndASecondRunChangesNothing(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = RegionRepository(database: db)
            // Given a file of a city, two districts and a street, when it is imported
            let summary = try await repository.importRegions(
                featureCollection: RegionFile.collection(RegionFile.good), by: .user("hq"))

            // Then all four are stored with their boundaries, boxes and levels, one audit entry each
            #expect(summary.inserted == 4 && summary.updated == 0 && summary.unchanged == 0)
            #expect(summary.warnings.isEmpty)
            let street = try #require(try await repository.region(code: "110101006"))
            #expect(street.region.parentCode == "110101")
            #expect(street.region.level == .township)
            #expect(street.boundary?.contains(Coordinate(longitude: 116.4174, latitude: 39.9289)) == true)
            #expect(street.boundary?.boundingBox?.minLongitude == 116.41)
            #expect(try await Self.auditCount(db) == 4)
            let history = try await AuditTrail.history(entity: "region", id: "110101006", on: db)
            #expect(history.map(\.action) == ["create"])
            #expect(history[0].actor == "user:hq")
            #expect(history[0].after?.contains("东四街道") == true)

            // And lists, filters and the subtree follow the tree
            #expect(try await repository.regions(.init(parentCode: "110000")).map(\.code) == ["110101", "110102"])
            #expect(try await repository.regions(.init(level: .township)).map(\.code) == ["110101006"])
            #expect(
                try await repository.subtree(of: "110000").map(\.code) == ["110000", "110101", "110102", "110101006"])
            #expect(try await repository.subtree(of: "110102").map(\.code) == ["110102"])
            #expect(try await repository.subtree(of: "nope").isEmpty)

            // When the same file is imported again, nothing changes and nothing is audited
            let fingerprint = try await repository.fingerprint()
            let again = try await repository.importRegions(
                featureCollection: RegionFile.collection(RegionFile.good), by: .user("hq"))
            #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 4)
            #expect(try await Self.auditCount(db) == 4)
            #expect(try await repository.fingerprint() == fingerprint)

            // When one street is renamed in the file, only it is updated, with before and after
            var renamed = RegionFile.good
            renamed[3] = renamed[3].replacingOccurrences(of: "东四街道", with: "东四街道办事处")
            let third = try await repository.importRegions(
                featureCollection: RegionFile.collection(renamed), by: .user("hq"))
            #expect(third.updated == 1 && third.unchanged == 3)
            let update = try #require(try await AuditTrail.history(entity: "region", id: "110101006", on: db).last)
            #expect(update.action == "update")
            #expect(update.before?.contains("东四街道\"") == true)
            #expect(update.after?.contains("东四街道办事处") == true)
            #expect(try await repository.fingerprint() != fingerprint)
            #expect(try await AuditTrail.verify(on: db).isIntact)
        }
    }

    @Test(arguments: TestDatabase.all, BadFeature.allCases)
    func aBadFeatureIsNamedWithItsReasonAndNothingIsWritten(database: TestDatabase, bad: BadFeature) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = RegionRepository(database: db)
            // Given a good file with one bad feature appended as the fifth
            let file = RegionFile.collection(RegionFile.good + [bad.feature])
            // When it is imported, then the import fails naming feature 5 and why
            do {
                _ = try await repository.importRegions(featureCollection: file, by: .user("hq"))
                Issue.record("\(bad) was imported")
            } catch RegionImportError.invalid(let problems) {
                #expect(Set(problems.map(\.index)) == [4], "\(problems)")
                let text = problems.map(\.description).joined(separator: "\n")
                for words in bad.reason { #expect(text.contains(words), "\(bad): \(text)") }
                #expect(text.contains("第 5 个要素"))
            }
            // And nothing at all was written
            #expect(try await repository.regions().isEmpty)
            #expect(try await Self.auditCount(db) == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyBadFeatureOfAFileIsReportedAtOnce(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = RegionRepository(database: db)
            // The duplicate-code case needs 110101 first; the others each repeat X1, so give them own codes
            let bad = BadFeature.allCases.enumerated().map { offset, kind in
                kind == .duplicateCode
                    ? kind.feature : kind.feature.replacingOccurrences(of: "\"X1\"", with: "\"X\(offset)\"")
            }
            do {
                _ = try await repository.importRegions(
                    featureCollection: RegionFile.collection(RegionFile.good + bad), by: .system("test"))
                Issue.record("imported")
            } catch RegionImportError.invalid(let problems) {
                #expect(Set(problems.map(\.index)) == Set(4..<(4 + BadFeature.allCases.count)), "\(problems)")
            }
            #expect(try await repository.regions().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func parentsMayComeFromTheDatabaseAndAChildOutsideItsParentIsAWarning(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = RegionRepository(database: db)
            _ = try await repository.importRegions(
                featureCollection: RegionFile.collection(Array(RegionFile.good.prefix(2))), by: .system("test"))
            // A street of the stored 东城区 that pokes out of it, imported on its own
            let street = RegionFile.feature(
                code: "110101099", name: "越界街道", level: "township", parent: "110101",
                coordinates: RegionFile.rectangle(116.44, 39.90, 116.46, 39.91))
            let summary = try await repository.importRegions(
                featureCollection: RegionFile.collection([street]), by: .system("test"))
            #expect(summary.inserted == 1)
            #expect(summary.warnings.map(\.code) == ["110101099"])
            #expect(summary.warnings.first?.message.contains("之外") == true)
            // A dry run checks and counts but writes nothing
            let dry = try await repository.importRegions(
                featureCollection: RegionFile.collection(RegionFile.good), dryRun: true, by: .system("test"))
            #expect(dry.inserted == 2 && dry.unchanged == 2)
            #expect(try await repository.regions().count == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func notAFeatureCollectionIsRefused(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = RegionRepository(database: db)
            for body in ["{", #"{"type":"Feature"}"#, "[]"] {
                await #expect(throws: RegionImportError.self) {
                    _ = try await repository.importRegions(featureCollection: Data(body.utf8), by: .system("t"))
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func createAndUpdateAreValidatedAndAudited(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = RegionRepository(database: db)
            let city = MappedRegion(region: Region(code: "110000", name: "北京市", level: .city))
            try await repository.create(city, by: .user("hq"))
            let district = MappedRegion(
                region: Region(code: "110101", name: "东城区", level: .county, parentCode: "110000"),
                boundary: Boundary(polygons: [
                    Polygon(exterior: [
                        Coordinate(longitude: 116.395, latitude: 39.865),
                        Coordinate(longitude: 116.445, latitude: 39.865),
                        Coordinate(longitude: 116.445, latitude: 39.975),
                        Coordinate(longitude: 116.395, latitude: 39.975),
                        Coordinate(longitude: 116.395, latitude: 39.865),
                    ])
                ]))
            try await repository.create(district, by: .user("hq"))
            #expect(try await repository.region(code: "110101") == district)

            // A taken code is a conflict; an orphan township, a level above its parent and a cycle are refused
            await #expect(throws: RegionRegistryError.duplicateCode("110101")) {
                try await repository.create(district, by: .user("hq"))
            }
            do {
                try await repository.create(
                    MappedRegion(region: Region(code: "T1", name: "孤儿街道", level: .township)), by: .user("hq"))
                Issue.record("orphan created")
            } catch RegionRegistryError.invalid(let problems) {
                #expect(problems.map(\.field) == ["parentCode"])
            }
            do {
                try await repository.update(
                    code: "110000", with: RegionPatch(parentCode: .some("110101")), by: .user("hq"))
                Issue.record("cycle made")
            } catch RegionRegistryError.invalid(let problems) {
                #expect(problems.contains { $0.message.contains("环") })
            }
            do {
                try await repository.update(code: "110000", with: RegionPatch(level: .township), by: .user("hq"))
                Issue.record("city demoted below its child")
            } catch RegionRegistryError.invalid(let problems) {
                #expect(problems.contains { $0.message.contains("下级区域 110101") })
            }

            // A change is written with before and after; clearing the boundary clears the box too
            let updated = try await repository.update(
                code: "110101", with: RegionPatch(name: "东城", boundary: .some(nil)), by: .user("hq"))
            #expect(updated.region.name == "东城" && updated.boundary == nil)
            let history = try await AuditTrail.history(entity: "region", id: "110101", on: db)
            #expect(history.map(\.action) == ["create", "update"])
            #expect(history[1].before?.contains("东城区") == true)
            let row = try #require(try await DB.Region.find("110101", on: db))
            #expect(row.minLongitude == nil && row.boundary == nil)
            await #expect(throws: RegionRegistryError.notFound("nope")) {
                try await repository.update(code: "nope", with: RegionPatch(name: "x"), by: .user("hq"))
            }
        }
    }
}
