/// The outcome of storing a batch: how many rows were new and how many were already there (a re-send).
public struct StoreOutcome: Sendable, Hashable {
    public var inserted: Int
    public var duplicates: Int

    public init(inserted: Int = 0, duplicates: Int = 0) {
        self.inserted = inserted
        self.duplicates = duplicates
    }

    public static func + (lhs: StoreOutcome, rhs: StoreOutcome) -> StoreOutcome {
        StoreOutcome(inserted: lhs.inserted + rhs.inserted, duplicates: lhs.duplicates + rhs.duplicates)
    }
}

/// Where validated readings go. `store` returns only after the readings are durably committed: callers
/// acknowledge (HJ 212 9014, HTTP 2xx) after it returns, never before.
public protocol ReadingSink: Sendable {
    func store(_ readings: [Reading]) async throws -> StoreOutcome
}
