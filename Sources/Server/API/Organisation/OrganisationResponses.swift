import Campaign
import Fluent
import Foundation
import Store
import Vapor

/// How the API shows units, people, grid assignments, contracts, duty shifts and the responsible chain.
enum OrganisationJSON {
    struct Unit: Content {
        var code: String
        var name: String
        var kind: String
        var kindName: String
        var regionCode: String?
        var parentCode: String?

        init(_ unit: ResponsibleUnit) {
            code = unit.code
            name = unit.name
            kind = unit.kind.rawValue
            kindName = unit.kind.displayName
            regionCode = unit.regionCode
            parentCode = unit.parentCode
        }
    }

    struct Person: Content {
        var id: UUID
        var name: String
        var phone: String?
        var unitCode: String?
        var title: String?
        var gridAssignments: [Assignment]?

        init(_ person: Campaign.Person, assignments: [GridAssignment]? = nil) {
            id = person.id
            name = person.name
            phone = person.phone
            unitCode = person.unitCode
            title = person.title
            gridAssignments = assignments.map { $0.map { Assignment($0, personName: person.name) } }
        }
    }

    struct Assignment: Content {
        var id: UUID
        var personId: UUID
        var personName: String?
        var regionCode: String
        var level: Int
        var levelName: String
        var startsOn: String?
        var endsOn: String?

        init(_ assignment: GridAssignment, personName: String?) {
            id = assignment.id
            personId = assignment.personID
            self.personName = personName
            regionCode = assignment.regionCode
            level = assignment.level.rawValue
            levelName = assignment.level.displayName
            startsOn = assignment.startsOn?.description
            endsOn = assignment.endsOn?.description
        }
    }

    struct Contract: Content {
        var id: UUID
        var leaderId: UUID
        var leaderName: String?
        var townshipCodes: [String]
        var startsOn: String
        var endsOn: String?
        var note: String?

        init(_ contract: LeaderContract, leaderName: String?) {
            id = contract.id
            leaderId = contract.leaderID
            self.leaderName = leaderName
            townshipCodes = contract.townshipCodes
            startsOn = contract.startsOn.description
            endsOn = contract.endsOn?.description
            note = contract.note
        }
    }

    struct Shift: Content {
        var id: UUID
        var personId: UUID
        var personName: String?
        var regionCode: String
        var role: String
        var roleName: String
        var startsAt: String
        var endsAt: String
        var note: String?

        init(_ shift: DutyShift, personName: String?) {
            id = shift.id
            personId = shift.personID
            self.personName = personName
            regionCode = shift.regionCode
            role = shift.role.rawValue
            roleName = shift.role.displayName
            startsAt = OrganisationParameters.format(shift.startsAt)
            endsAt = OrganisationParameters.format(shift.endsAt)
            note = shift.note
        }
    }

    struct Link: Content {
        var role: String
        var roleName: String
        var person: Person
        var regionCode: String
        var gridLevel: Int?
        var gridLevelName: String?
        var dutyRole: String?
        var dutyRoleName: String?

        init(_ link: ResponsibleLink) {
            role = link.role.rawValue
            roleName = link.role.displayName
            person = Person(link.person)
            regionCode = link.regionCode
            gridLevel = link.gridLevel?.rawValue
            gridLevelName = link.gridLevel?.displayName
            dutyRole = link.dutyRole?.rawValue
            dutyRoleName = link.dutyRole?.displayName
        }
    }

    struct Chain: Content {
        var regionCode: String
        var at: String
        var chain: [Link]
    }

    struct ImportSummary: Content {
        var created: Int
        var updated: Int
        var unchanged: Int
        var assignmentsCreated: Int
        var dryRun: Bool
        var message: String

        init(_ summary: OrganisationImportSummary) {
            created = summary.created
            updated = summary.updated
            unchanged = summary.unchanged
            assignmentsCreated = summary.assignmentsCreated
            dryRun = summary.dryRun
            message = summary.description
        }
    }

    /// Names of the people `ids` refer to.
    static func names(_ ids: [UUID], on database: any Database) async throws -> [UUID: String] {
        try await PeopleRepository(database: database).people(ids: ids).mapValues(\.name)
    }
}
