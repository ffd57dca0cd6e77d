import Campaign
import Store
import Vapor

/// People under `/api/v1/people` and grid assignments under `/api/v1/assignments`.
struct PersonController {
    func register(on routes: any RoutesBuilder) {
        let people = routes.grouped("people")
        people.get(use: list)
        people.post(use: create)
        people.on(.POST, "import", body: .collect(maxSize: "8mb"), use: importCSV)
        people.get(":id", use: show)
        people.patch(":id", use: update)
        people.delete(":id", use: delete)

        let assignments = routes.grouped("assignments")
        assignments.get(use: assignmentList)
        assignments.post(use: assign)
        assignments.delete(":id", use: unassign)
    }

    /// `GET /people?unit=`
    @Sendable func list(_ request: Request) async throws -> [OrganisationJSON.Person] {
        let unit = request.query[String.self, at: "unit"]
        return try await PeopleRepository(database: request.db).people(unitCode: unit, scope: request.accessScope).map {
            OrganisationJSON.Person($0)
        }
    }

    /// `GET /people/:id`, with the person's grid assignments.
    @Sendable func show(_ request: Request) async throws -> OrganisationJSON.Person {
        let id = try OrganisationParameters.uuid(request, "id", entity: "person")
        let repository = PeopleRepository(database: request.db)
        guard let person = try await repository.person(id: id, scope: request.accessScope) else {
            throw OrganisationParameters.abort(.notFound(entity: "person", id: id.uuidString.lowercased()))
        }
        return OrganisationJSON.Person(person, assignments: try await repository.gridAssignments(personID: id))
    }

    /// `POST /people`: 201; 422 naming every bad field (phone format, unknown unit…).
    @Sendable func create(_ request: Request) async throws -> Response {
        var body = try JSONBody.decode(request)
        let name = body.required("name", "姓名", { $0.string($1) })
        let person = Person(
            name: name ?? "", phone: body.optionalText("phone").value, unitCode: body.optionalText("unitCode").value,
            title: body.optionalText("title").value)
        let repository = PeopleRepository(database: request.db)
        if !body.problems.isEmpty { try body.check(try await repository.problems(for: person)) }
        try await OrganisationParameters.answering {
            try await repository.create(person, by: request.auditActor)
        }
        let response = try await OrganisationJSON.Person(person).encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/people/\(person.id.uuidString.lowercased())")
        return response
    }

    /// `PATCH /people/:id`: any of name, phone, unitCode, title; `null` clears phone, unitCode, title.
    @Sendable func update(_ request: Request) async throws -> OrganisationJSON.Person {
        let id = try OrganisationParameters.uuid(request, "id", entity: "person")
        var body = try JSONBody.decode(request)
        var patch = PersonPatch()
        patch.name = body.notNull("name", "姓名", { $0.string($1) })
        patch.phone = JSONBody.clearable(body.optionalText("phone"))
        patch.unitCode = JSONBody.clearable(body.optionalText("unitCode"))
        patch.title = JSONBody.clearable(body.optionalText("title"))
        let repository = PeopleRepository(database: request.db)
        guard let current = try await repository.person(id: id) else {
            throw OrganisationParameters.abort(.notFound(entity: "person", id: id.uuidString.lowercased()))
        }
        if !body.problems.isEmpty { try body.check(try await repository.problems(for: patch.applied(to: current))) }
        return OrganisationJSON.Person(
            try await OrganisationParameters.answering {
                try await repository.update(id: id, with: patch, by: request.auditActor)
            })
    }

    /// `DELETE /people/:id`: 204; 409 while the person leads a contract or is on the roster.
    @Sendable func delete(_ request: Request) async throws -> HTTPStatus {
        let id = try OrganisationParameters.uuid(request, "id", entity: "person")
        try await OrganisationParameters.answering {
            try await PeopleRepository(database: request.db).delete(id: id, by: request.auditActor)
        }
        return .noContent
    }

    /// `POST /people/import` (text/csv).
    @Sendable func importCSV(_ request: Request) async throws -> OrganisationJSON.ImportSummary {
        let (text, dryRun) = try CSVUpload.read(request)
        return try await CSVUpload.answering {
            OrganisationJSON.ImportSummary(
                try await OrganisationImporter(database: request.db).importPeople(
                    csv: text, dryRun: dryRun, by: request.auditActor))
        }
    }

    // MARK: Grid assignments

    /// `GET /assignments?region=&person=`
    @Sendable func assignmentList(_ request: Request) async throws -> [OrganisationJSON.Assignment] {
        var personID: UUID?
        if let text = request.query[String.self, at: "person"] {
            guard let id = UUID(uuidString: text) else {
                throw InvalidFieldsError(problems: [FieldProblem(field: "person", message: "应为 UUID / must be a UUID")])
            }
            personID = id
        }
        let assignments = try await PeopleRepository(database: request.db).gridAssignments(
            regionCode: request.query[String.self, at: "region"], personID: personID)
        let names = try await OrganisationJSON.names(assignments.map(\.personID), on: request.db)
        return assignments.map { OrganisationJSON.Assignment($0, personName: names[$0.personID]) }
    }

    /// `POST /assignments` `{personId, regionCode, level, startsOn?, endsOn?}`: 201; 409 when the person
    /// already has that grid.
    @Sendable func assign(_ request: Request) async throws -> Response {
        var body = try JSONBody.decode(request)
        let personID = body.required("personId", "人员", { $0.uuid($1) })
        let regionCode = body.required("regionCode", "网格", { $0.string($1) })
        let level = body.required("level", "网格级别", { $0.gridLevel($1) })
        let assignment = GridAssignment(
            personID: personID ?? UUID(), regionCode: regionCode ?? "", level: level ?? .third,
            startsOn: body.day("startsOn").value, endsOn: body.day("endsOn").value)
        let repository = PeopleRepository(database: request.db)
        if !body.problems.isEmpty { try body.check(try await repository.problems(for: assignment)) }
        try await OrganisationParameters.answering {
            try await repository.assign(assignment, by: request.auditActor)
        }
        let name = try await repository.person(id: assignment.personID)?.name
        let response = try await OrganisationJSON.Assignment(assignment, personName: name)
            .encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(
            name: .location, value: "/api/v1/assignments?person=\(assignment.personID.uuidString.lowercased())")
        return response
    }

    /// `DELETE /assignments/:id`: 204.
    @Sendable func unassign(_ request: Request) async throws -> HTTPStatus {
        let id = try OrganisationParameters.uuid(request, "id", entity: "grid_assignment")
        try await OrganisationParameters.answering {
            try await PeopleRepository(database: request.db).deleteAssignment(
                id: id, by: request.auditActor)
        }
        return .noContent
    }
}
