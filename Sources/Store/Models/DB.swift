import FluentKit
import Foundation

/// Persistence types. They never leave `Store`: repositories hand out `Campaign` values.
enum DB {}

extension DB {
    final class Region: Model, @unchecked Sendable {
        static let schema = "regions"

        @ID(custom: "code", generatedBy: .user) var id: String?
        @Field(key: "name") var name: String
        @Field(key: "level") var level: String
        @OptionalField(key: "parent_code") var parentCode: String?
        @Timestamp(key: "created_at", on: .create) var createdAt: Date?
        @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
        // Boundary and box: all nil or all set (AddBoundaryToRegion).
        /// GeoJSON geometry text: a Polygon or a MultiPolygon.
        @OptionalField(key: "boundary") var boundary: String?
        @OptionalField(key: "min_longitude") var minLongitude: Double?
        @OptionalField(key: "min_latitude") var minLatitude: Double?
        @OptionalField(key: "max_longitude") var maxLongitude: Double?
        @OptionalField(key: "max_latitude") var maxLatitude: Double?
        /// NOT NULL DEFAULT false in the schema; optional here so rows written without it read back.
        @OptionalField(key: "is_demo_geometry") var isDemoGeometry: Bool?

        init() {}
    }

    final class Unit: Model, @unchecked Sendable {
        static let schema = "units"

        @ID(custom: "code", generatedBy: .user) var id: String?
        @Field(key: "name") var name: String
        @Field(key: "kind") var kind: String
        @OptionalField(key: "region_code") var regionCode: String?
        @OptionalField(key: "parent_code") var parentCode: String?
        @Timestamp(key: "created_at", on: .create) var createdAt: Date?
        @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

        init() {}
    }

    final class Station: Model, @unchecked Sendable {
        static let schema = "stations"

        @ID(custom: "code", generatedBy: .user) var id: String?
        @Field(key: "name") var name: String
        @Field(key: "kind") var kind: String
        @Field(key: "longitude") var longitude: Double
        @Field(key: "latitude") var latitude: Double
        @OptionalField(key: "region_code") var regionCode: String?
        @OptionalField(key: "responsible_unit_code") var responsibleUnitCode: String?
        @Field(key: "status") var status: String
        // HJ 212 identity: all nil, or all set (AddHJ212IdentityToStation).
        @OptionalField(key: "hj212_mn") var hj212MN: String?
        @OptionalField(key: "hj212_password") var hj212Password: String?
        /// Editions, comma separated: `2005,2017,2025`.
        @OptionalField(key: "hj212_protocols") var hj212Protocols: String?
        @OptionalField(key: "hj212_crc_policy") var hj212CRCPolicy: String?
        @OptionalField(key: "hj212_tolerant") var hj212Tolerant: Bool?
        @Timestamp(key: "created_at", on: .create) var createdAt: Date?
        @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

        init() {}
    }

    final class Person: Model, @unchecked Sendable {
        static let schema = "people"

        @ID(key: .id) var id: UUID?
        @Field(key: "name") var name: String
        @OptionalField(key: "phone") var phone: String?
        @OptionalField(key: "unit_code") var unitCode: String?
        @OptionalField(key: "title") var title: String?
        @Timestamp(key: "created_at", on: .create) var createdAt: Date?
        @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

        init() {}
    }

    final class GridAssignment: Model, @unchecked Sendable {
        static let schema = "grid_assignments"

        @ID(key: .id) var id: UUID?
        @Field(key: "person_id") var personID: UUID
        @Field(key: "region_code") var regionCode: String
        @Field(key: "level") var level: Int
        /// Calendar days, stored at 00:00 UTC.
        @OptionalField(key: "starts_on") var startsOn: Date?
        @OptionalField(key: "ends_on") var endsOn: Date?
        @Timestamp(key: "created_at", on: .create) var createdAt: Date?
        @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

        init() {}
    }

    final class LeaderContract: Model, @unchecked Sendable {
        static let schema = "leader_contracts"

        @ID(key: .id) var id: UUID?
        @Field(key: "leader_id") var leaderID: UUID
        @Field(key: "starts_on") var startsOn: Date
        @OptionalField(key: "ends_on") var endsOn: Date?
        @OptionalField(key: "note") var note: String?
        @Timestamp(key: "created_at", on: .create) var createdAt: Date?
        @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

        init() {}
    }

    final class DutyShift: Model, @unchecked Sendable {
        static let schema = "duty_shifts"

        @ID(key: .id) var id: UUID?
        @Field(key: "person_id") var personID: UUID
        @Field(key: "region_code") var regionCode: String
        @Field(key: "role") var role: String
        @Field(key: "starts_at") var startsAt: Date
        @Field(key: "ends_at") var endsAt: Date
        @OptionalField(key: "note") var note: String?
        @Timestamp(key: "created_at", on: .create) var createdAt: Date?
        @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

        init() {}
    }
}
