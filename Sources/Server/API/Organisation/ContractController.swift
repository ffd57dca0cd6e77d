import Campaign
import Store
import Vapor

/// Leader contracts (分包) under `/api/v1/contracts`.
struct ContractController {
    func register(on routes: any RoutesBuilder) {
        let contracts = routes.grouped("contracts")
        contracts.get(use: list)
        contracts.post(use: create)
        contracts.get(":id", use: show)
        contracts.patch(":id", use: update)
        contracts.delete(":id", use: delete)
    }

    /// `GET /contracts?township=&leader=`
    @Sendable func list(_ request: Request) async throws -> [OrganisationJSON.Contract] {
        var leaderID: UUID?
        if let text = request.query[String.self, at: "leader"] {
            guard let id = UUID(uuidString: text) else {
                throw InvalidFieldsError(problems: [FieldProblem(field: "leader", message: "应为 UUID / must be a UUID")])
            }
            leaderID = id
        }
        let contracts = try await LeaderContractRepository(database: request.db).contracts(
            townshipCode: request.query[String.self, at: "township"], leaderID: leaderID)
        let names = try await OrganisationJSON.names(contracts.map(\.leaderID), on: request.db)
        return contracts.map { OrganisationJSON.Contract($0, leaderName: names[$0.leaderID]) }
    }

    @Sendable func show(_ request: Request) async throws -> OrganisationJSON.Contract {
        let id = try OrganisationParameters.uuid(request, "id", entity: "leader_contract")
        guard let contract = try await LeaderContractRepository(database: request.db).contract(id: id) else {
            throw OrganisationParameters.abort(.notFound(entity: "leader_contract", id: id.uuidString.lowercased()))
        }
        return try await Self.response(contract, on: request)
    }

    /// `POST /contracts` `{leaderId, townshipCodes, startsOn, endsOn?, note?}`: 201; 422 naming every bad field.
    @Sendable func create(_ request: Request) async throws -> Response {
        var body = try JSONBody.decode(request)
        let leaderID = body.required("leaderId", "分包领导", { $0.uuid($1) })
        let townships = body.required("townshipCodes", "分包乡镇", { $0.strings($1) })
        let startsOn = body.required("startsOn", "开始日期", { $0.day($1) })
        let contract = LeaderContract(
            leaderID: leaderID ?? UUID(), townshipCodes: townships ?? [],
            startsOn: startsOn ?? CalendarDay(containing: Date()), endsOn: body.day("endsOn").value,
            note: body.optionalText("note").value)
        let repository = LeaderContractRepository(database: request.db)
        if !body.problems.isEmpty { try body.check(try await repository.problems(for: contract)) }
        try await OrganisationParameters.answering {
            try await repository.create(contract, by: request.auditActor)
        }
        let response = try await Self.response(contract, on: request).encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(
            name: .location, value: "/api/v1/contracts/\(contract.id.uuidString.lowercased())")
        return response
    }

    /// `PATCH /contracts/:id`: any of leaderId, townshipCodes, startsOn, endsOn, note (`null` clears the last two).
    @Sendable func update(_ request: Request) async throws -> OrganisationJSON.Contract {
        let id = try OrganisationParameters.uuid(request, "id", entity: "leader_contract")
        var body = try JSONBody.decode(request)
        var patch = LeaderContractPatch()
        patch.leaderID = body.notNull("leaderId", "分包领导", { $0.uuid($1) })
        patch.townshipCodes = body.notNull("townshipCodes", "分包乡镇", { $0.strings($1) })
        patch.startsOn = body.notNull("startsOn", "开始日期", { $0.day($1) })
        patch.endsOn = JSONBody.clearable(body.day("endsOn"))
        patch.note = JSONBody.clearable(body.optionalText("note"))
        let repository = LeaderContractRepository(database: request.db)
        guard let current = try await repository.contract(id: id) else {
            throw OrganisationParameters.abort(.notFound(entity: "leader_contract", id: id.uuidString.lowercased()))
        }
        if !body.problems.isEmpty { try body.check(try await repository.problems(for: patch.applied(to: current))) }
        let updated = try await OrganisationParameters.answering {
            try await repository.update(id: id, with: patch, by: request.auditActor)
        }
        return try await Self.response(updated, on: request)
    }

    @Sendable func delete(_ request: Request) async throws -> HTTPStatus {
        let id = try OrganisationParameters.uuid(request, "id", entity: "leader_contract")
        try await OrganisationParameters.answering {
            try await LeaderContractRepository(database: request.db).delete(
                id: id, by: request.auditActor)
        }
        return .noContent
    }

    static func response(_ contract: LeaderContract, on request: Request) async throws -> OrganisationJSON.Contract {
        OrganisationJSON.Contract(
            contract, leaderName: try await PeopleRepository(database: request.db).person(id: contract.leaderID)?.name)
    }
}

/// The duty roster under `/api/v1/rosters`, and the responsible chain of a region.
struct RosterController {
    func register(on routes: any RoutesBuilder) {
        let rosters = routes.grouped("rosters")
        rosters.get(use: list)
        rosters.post(use: create)
        rosters.get("on-duty", use: onDuty)
        rosters.delete(":id", use: delete)
        routes.get("regions", ":code", "responsible", use: responsible)
    }

    /// `GET /rosters?region=&at=&person=`: shifts of the region (exactly), covering the instant, of the person.
    @Sendable func list(_ request: Request) async throws -> [OrganisationJSON.Shift] {
        var problems: [FieldProblem] = []
        let at = OrganisationParameters.instant(request, problems: &problems)
        var personID: UUID?
        if let text = request.query[String.self, at: "person"] {
            personID = UUID(uuidString: text)
            if personID == nil { problems.append(FieldProblem(field: "person", message: "应为 UUID / must be a UUID")) }
        }
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        let shifts = try await DutyRoster(database: request.db).shifts(
            regionCode: request.query[String.self, at: "region"], personID: personID, at: at)
        return try await Self.responses(shifts, on: request)
    }

    /// `GET /rosters/on-duty?region=&at=`: who is on duty for the region or an enclosing one (default: now).
    @Sendable func onDuty(_ request: Request) async throws -> [OrganisationJSON.Shift] {
        var problems: [FieldProblem] = []
        let at = OrganisationParameters.instant(request, problems: &problems) ?? Date()
        let region = request.query[String.self, at: "region"]
        if region == nil { problems.append(FieldProblem(field: "region", message: "区域必填 / region is required")) }
        guard problems.isEmpty, let region else { throw InvalidFieldsError(problems: problems) }
        let shifts = try await OrganisationParameters.answering {
            try await DutyRoster(database: request.db).onDuty(regionCode: region, at: at)
        }
        return try await Self.responses(shifts, on: request)
    }

    /// `POST /rosters` `{personId, regionCode, role, startsAt, endsAt, note?}`: 201; 409 naming the person's
    /// overlapping shifts.
    @Sendable func create(_ request: Request) async throws -> Response {
        var body = try JSONBody.decode(request)
        let personID = body.required("personId", "值班人员", { $0.uuid($1) })
        let regionCode = body.required("regionCode", "值班区域", { $0.string($1) })
        let roleText = body.required("role", "值班角色", { $0.string($1) })
        var role = DutyRole.officer
        if let roleText {
            if let parsed = DutyRole(rawValue: roleText) {
                role = parsed
            } else {
                body.problems.append(
                    FieldProblem(
                        field: "role",
                        message: "值班角色“\(roleText)”无效，应为 leader（带班领导）或 officer（值班员）/ role must be leader or officer"))
            }
        }
        let startsAt = body.required("startsAt", "开始时间", { $0.instant($1) })
        let endsAt = body.required("endsAt", "结束时间", { $0.instant($1) })
        let shift = DutyShift(
            personID: personID ?? UUID(), regionCode: regionCode ?? "", role: role,
            startsAt: startsAt ?? Date(timeIntervalSince1970: 0), endsAt: endsAt ?? Date(timeIntervalSince1970: 1),
            note: body.optionalText("note").value)
        let roster = DutyRoster(database: request.db)
        if !body.problems.isEmpty {
            var known = try await roster.problems(for: shift)
            if startsAt == nil || endsAt == nil { known.removeAll { $0.field == "endsAt" } }
            try body.check(known)
        }
        try await OrganisationParameters.answering {
            try await roster.create(shift, by: request.auditActor)
        }
        let response = try await Self.responses([shift], on: request)[0].encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(
            name: .location, value: "/api/v1/rosters?person=\(shift.personID.uuidString.lowercased())")
        return response
    }

    @Sendable func delete(_ request: Request) async throws -> HTTPStatus {
        let id = try OrganisationParameters.uuid(request, "id", entity: "duty_shift")
        try await OrganisationParameters.answering {
            try await DutyRoster(database: request.db).delete(id: id, by: request.auditActor)
        }
        return .noContent
    }

    /// `GET /regions/:code/responsible?at=`: the ordered chain of who answers for the region.
    @Sendable func responsible(_ request: Request) async throws -> OrganisationJSON.Chain {
        let code = try request.parameters.require("code")
        var problems: [FieldProblem] = []
        let at = OrganisationParameters.instant(request, problems: &problems) ?? Date()
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        let chain = try await OrganisationParameters.answering {
            try await OrganisationRepository(database: request.db).responsibleChain(region: code, at: at)
        }
        return OrganisationJSON.Chain(
            regionCode: code, at: OrganisationParameters.format(at), chain: chain.map(OrganisationJSON.Link.init))
    }

    static func responses(_ shifts: [DutyShift], on request: Request) async throws -> [OrganisationJSON.Shift] {
        let names = try await OrganisationJSON.names(shifts.map(\.personID), on: request.db)
        return shifts.map { OrganisationJSON.Shift($0, personName: names[$0.personID]) }
    }
}
