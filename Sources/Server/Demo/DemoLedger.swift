import Campaign
import Foundation
import Store
import Vapor

/// A handful of ledger cases for the demo, at the staffed demo streets, in every state a dashboard shows:
/// just registered, assigned, overdue, submitted for verification, closed with the revisit due, and a public
/// complaint. Written once (when the ledger is empty), through the same repository steps people take, so
/// their timelines are real. All demo data: the problems are invented.
enum DemoLedger {
    struct Seed {
        var title: String
        var description: String
        var source: CaseSource
        var category: CaseCategory
        var point: Coordinate
        var address: String
        /// Steps after registration: nil = stays new.
        var walk: Walk
        var isPublic = false
    }

    enum Walk {
        case new
        /// Assigned `daysAgo` days ago with `workingDays`.
        case assigned(daysAgo: Int, workingDays: Int)
        case submitted
        case closed(daysAgo: Int)
    }

    static let seeds: [Seed] = [
        Seed(
            title: "餐馆油烟直排", description: "亚运村街道某餐馆未安装油烟净化设施，油烟直排（演示）", source: .patrol,
            category: .cookingFumes, point: Coordinate(longitude: 116.3935, latitude: 39.986),
            address: "朝阳区亚运村街道（演示）", walk: .assigned(daysAgo: 20, workingDays: 5)),
        Seed(
            title: "工地土方未苫盖", description: "农展馆街道某工地东侧土方裸露未苫盖，运输车辆带泥上路（演示）", source: .inspectionFeedback,
            category: .constructionDust, point: Coordinate(longitude: 116.4578, latitude: 39.9365),
            address: "朝阳区农展馆街道（演示）", walk: .assigned(daysAgo: 1, workingDays: 10)),
        Seed(
            title: "道路积尘", description: "白纸坊街道主干道积尘严重，未按要求洒水清扫（演示）", source: .undercover,
            category: .roadDust, point: Coordinate(longitude: 116.3555, latitude: 39.879),
            address: "西城区白纸坊街道（演示）", walk: .submitted),
        Seed(
            title: "露天焚烧垃圾", description: "东四街道某小区旁露天焚烧垃圾（演示）", source: .monitoringAlert,
            category: .openBurning, point: Coordinate(longitude: 116.4137, latitude: 39.929),
            address: "东城区东四街道（演示）", walk: .closed(daysAgo: 35)),
        Seed(
            title: "夜间施工扬尘", description: "群众来电反映万柳地区某工地夜间施工扬尘扰民（演示）", source: .publicComplaint,
            category: .constructionDust, point: Coordinate(longitude: 116.2812, latitude: 39.961),
            address: "海淀区万柳地区（演示）", walk: .new, isPublic: true),
    ]

    static func seed(_ app: Application) async throws {
        let repository = LedgerRepository(database: app.db)
        guard try await repository.cases(.init(limit: 1)).total == 0 else { return }
        let ledger = app.ledger
        let now = ledger.now
        let hq = LedgerActor(audit: .system("demo·指挥部"), role: .command)
        let officer = LedgerActor(audit: .system("demo·街道办"), role: .unitOfficer)
        let supervisor = LedgerActor(audit: .system("demo·督查组"), role: .supervisor)
        for seed in seeds {
            var days = 0
            switch seed.walk {
            case .assigned(let daysAgo, _): days = daysAgo
            case .closed(let daysAgo): days = daysAgo + 5
            case .submitted: days = 6
            case .new: days = 0
            }
            let start = now - Int64(days) * 86_400
            let day = CalendarDay(containing: Date(timeIntervalSince1970: TimeInterval(start)))
            let draft = CaseDraft(
                source: seed.source, category: seed.category, title: seed.title, description: seed.description,
                address: seed.address, location: seed.point, isPublic: seed.isPublic,
                reporterName: seed.isPublic ? "王女士（演示）" : nil, reporterContact: seed.isPublic ? "138****0000" : nil)
            let placement = try await LedgerController.placement(
                of: seed.point, spatial: app.spatial, database: app.db)
            let item = try await repository.create(
                draft, placement: placement, by: hq, today: day, calendar: ledger.calendar, at: start)
            func step(
                _ action: CaseAction, _ actor: LedgerActor, at time: Int64, note: String? = nil,
                evidence: [String] = [], deadline: CaseDeadline? = nil
            ) async throws {
                let today = CalendarDay(containing: Date(timeIntervalSince1970: TimeInterval(time)))
                _ = try await repository.perform(
                    action, on: item.id, by: actor, note: note, evidence: evidence, details: .init(deadline: deadline),
                    today: today, calendar: ledger.calendar, at: time)
            }
            switch seed.walk {
            case .new:
                break
            case .assigned(_, let workingDays):
                try await step(.assign, hq, at: start + 600, deadline: .workingDays(workingDays))
                try await step(.startRectifying, officer, at: start + 3_600, note: "已签收，正在整改")
            case .submitted, .closed:
                try await step(.assign, hq, at: start + 600, deadline: .workingDays(5))
                try await step(.startRectifying, officer, at: start + 3_600, note: "已签收")
                let report = CaseAttachment(
                    id: UUID().uuidString.lowercased(), caseID: item.id, fileName: "整改报告（演示）.pdf",
                    contentType: "application/pdf", size: Int64(DemoLedger.report.count),
                    sha256: "demo", hasThumbnail: false, uploadedBy: officer.audit.description,
                    uploadedAt: start + 86_400)
                try AttachmentFiles(directory: ledger.attachmentsDirectory).write(
                    id: report.id, bytes: DemoLedger.report, thumbnail: nil)
                try await repository.addAttachment(report, by: officer.audit)
                try await step(
                    .submit, officer, at: start + 86_400 * 2, note: "已完成整改，附整改报告", evidence: [report.id])
                if case .closed = seed.walk {
                    try await step(.close, supervisor, at: start + 86_400 * 5, note: "现场核查，整改到位")
                }
            }
        }
        app.logger.info("demo ledger seeded", metadata: ["cases": .stringConvertible(seeds.count)])
    }

    /// A one-page PDF that says it is a demo report.
    static let report: [UInt8] = Array(
        """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
        4 0 obj << /Length 44 >> stream
        BT /F1 18 Tf 36 72 Td (Lantian demo report) Tj ET
        endstream endobj
        5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
        trailer << /Root 1 0 R >>
        %%EOF

        """.utf8)
}
