import FluentKit

/// Every migration, in the order it runs. Append only: a migration that has landed is never edited.
public enum LantianMigrations {
    public static var all: [any Migration] {
        [
            CreateRegion(),
            CreateUnit(),
            CreateStation(),
            AddHJ212IdentityToStation(),
            CreateStationPollutant(),
            CreateReadings(),
            CreateAuditLog(),
            CreateAlerts(),
            CreatePeople(),
            CreateGridAssignments(),
            CreateLeaderContracts(),
            CreateDutyShifts(),
            CreateUsers(),
            AddBoundaryToRegion(),
            CreateLedger(),
            AddMediaURLToCase(),
        ]
    }

    /// The names Fluent records in `_fluent_migrations` for `all`.
    public static var names: [String] { all.map(\.name) }
}
