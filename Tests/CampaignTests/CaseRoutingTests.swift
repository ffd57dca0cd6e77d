import Testing

@testable import Campaign

@Suite("Ledger routing and duplicates")
struct CaseRoutingTests {
    static let table = CaseRoutingTable(routes: [
        .init(name: "朝阳区餐饮油烟 → 区城管委", categories: [.cookingFumes], regionCodes: ["110105"], unitCode: "CY-CGW"),
        .init(
            name: "施工扬尘 → 住建局，城管配合", categories: [.constructionDust], unitCode: "BJ-ZJJ", cooperatingUnits: ["BJ-CGW"]),
        .init(name: "机动车 → 交通局", categories: [.vehicles], unitCode: "BJ-JTJ"),
    ])

    @Test(arguments: [
        (CaseCategory.cookingFumes, ["110105024", "110105", "110000"], "CY-CGW" as String?),
        (.cookingFumes, ["110102015", "110102", "110000"], nil),  // outside 朝阳: the township
        (.constructionDust, ["110102015", "110102", "110000"], "BJ-ZJJ"),
        (.vehicles, [], "BJ-JTJ"),
        (.openBurning, ["110105024", "110105"], nil),
    ])
    func firstMatchingRouteDecides(category: CaseCategory, path: [String], unit: String?) {
        let route = Self.table.route(category: category, regionPath: path)
        #expect(route.unitCode == unit)
        if category == .constructionDust { #expect(route.cooperatingUnits == ["BJ-CGW"]) }
    }

    @Test func anOpenCaseWithin50MetresOfTheSameCategoryIsSuggested() {
        let here = Coordinate(longitude: 116.4000, latitude: 39.9000)
        // 0.0004° of latitude ≈ 44 m; 0.0006° ≈ 67 m.
        let open: [(id: String, category: CaseCategory, location: Coordinate)] = [
            ("A", .constructionDust, Coordinate(longitude: 116.4000, latitude: 39.9004)),
            ("B", .constructionDust, Coordinate(longitude: 116.4000, latitude: 39.9006)),
            ("C", .openBurning, Coordinate(longitude: 116.4000, latitude: 39.9001)),
            ("D", .constructionDust, Coordinate(longitude: 116.4000, latitude: 39.9001)),
        ]
        let suggestions = CaseDuplicates.suggestions(for: here, category: .constructionDust, openCases: open)
        #expect(suggestions.map(\.caseID) == ["D", "A"])
        #expect(suggestions.allSatisfy { $0.metres <= 50 })
        #expect(CaseDuplicates.suggestions(for: here, category: .water, openCases: open).isEmpty)
    }
}
