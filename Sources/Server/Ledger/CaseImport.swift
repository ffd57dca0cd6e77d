import Campaign
import FluentKit
import Store
import Vapor

/// Imports of whole lists into the ledger, for the API and for `lantian import cases`.
public enum CaseImport {
    /// An inspection team's problem list (CSV, docs/ledger.md): all rows or none; every row placed in its
    /// region and zones, routed, numbered `<batch>-<序号>`, and assigned when it has a deadline.
    public static func inspectionList(
        _ app: Application, database: (any Database)? = nil, csv: String, batch: String,
        source: CaseSource = .inspectionFeedback, dryRun: Bool, by actor: LedgerActor
    ) async throws -> CaseImportSummary {
        let database = database ?? app.db
        let (spatial, ledger) = (app.spatial, app.ledger)
        return try await LedgerRepository(database: database).importInspectionList(
            csv: csv, batch: batch, source: source,
            place: { point in
                try await LedgerController.placement(of: point, spatial: spatial, database: database)
            }, by: actor, today: ledger.today, calendar: ledger.calendar, at: ledger.now, dryRun: dryRun)
    }
}

extension CaseImportSummary: Content {}
