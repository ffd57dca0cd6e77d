import Campaign
import Crypto
import Foundation
import Store
import Vapor

/// Evidence files of a case (photos, reports): uploaded as `multipart/form-data` (field `file`), checked
/// for size and for type by their first bytes (JPEG, PNG or PDF — the declared type must agree), written
/// under `<data directory>/attachments` before the record is committed, with a thumbnail for photos.
/// A refused upload leaves nothing behind.
enum AttachmentController {
    struct Upload: Content {
        var file: File?
    }

    /// The kinds of file the ledger keeps, recognised by their first bytes.
    enum Kind: String {
        case jpeg = "image/jpeg"
        case png = "image/png"
        case pdf = "application/pdf"

        init?(sniffing bytes: some Collection<UInt8>) {
            let head = Array(bytes.prefix(8))
            if head.starts(with: [0xFF, 0xD8, 0xFF]) {
                self = .jpeg
            } else if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                self = .png
            } else if head.starts(with: Array("%PDF-".utf8)) {
                self = .pdf
            } else {
                return nil
            }
        }

        var isImage: Bool { self != .pdf }
    }

    static let accepted = "JPEG、PNG 照片或 PDF 文件 / JPEG or PNG photos, or PDF files"

    @Sendable static func upload(_ request: Request) async throws -> Response {
        let caseID = try request.parameters.require("id")
        let item = try await LedgerController.visibleCase(caseID, request)
        let ledger = request.application.ledger
        let limit = ledger.maxAttachmentBytes
        guard let file = (try? request.content.decode(Upload.self))?.file else {
            throw InvalidFieldsError(problems: [
                FieldProblem(
                    field: "file",
                    message: "需以 multipart/form-data 上传字段 file / upload the field `file` as multipart/form-data")
            ])
        }
        let size = file.data.readableBytes
        guard size > 0 else {
            throw InvalidFieldsError(problems: [FieldProblem(field: "file", message: "文件为空 / the file is empty")])
        }
        guard size <= limit else {
            ledger.metrics.recordRejectedUpload(reason: "too_large")
            request.logger.notice(
                "attachment refused: too large", metadata: ["case": "\(item.number)", "bytes": "\(size)"])
            throw Abort(
                .payloadTooLarge,
                reason: "文件 \(size) 字节，超过上限 \(limit) 字节 / the file is \(size) bytes; the limit is \(limit)")
        }
        let bytes = Array(file.data.readableBytesView)
        guard let kind = Kind(sniffing: bytes) else {
            ledger.metrics.recordRejectedUpload(reason: "type")
            request.logger.notice(
                "attachment refused: type", metadata: ["case": "\(item.number)", "name": "\(file.filename)"])
            throw Abort(
                .unsupportedMediaType,
                reason: "文件“\(file.filename)”不是可接受的类型，仅接受 \(accepted) / unsupported file type")
        }
        if let declared = file.contentType, declared != .binary,
            "\(declared.type)/\(declared.subType)".lowercased() != kind.rawValue
        {
            ledger.metrics.recordRejectedUpload(reason: "type_mismatch")
            throw Abort(
                .unsupportedMediaType,
                reason: "声明的类型 \(declared.type)/\(declared.subType) 与文件内容（\(kind.rawValue)）不符"
                    + " / the declared type does not match the content")
        }
        var width: Int?
        var height: Int?
        var thumbnail: [UInt8]?
        if kind.isImage {
            do {
                let made = try await request.application.threadPool.runIfActive {
                    try EvidenceImages.inspectAndThumbnail(bytes)
                }
                width = made.width
                height = made.height
                thumbnail = made.thumbnail
            } catch let error as EvidenceImages.Failure {
                ledger.metrics.recordRejectedUpload(reason: "image")
                throw Abort(.unprocessableEntity, reason: "照片无法读取 / the photo cannot be read: \(error.description)")
            }
        }
        let id = UUID().uuidString.lowercased()
        let files = AttachmentFiles(directory: ledger.attachmentsDirectory)
        let name = Self.cleanFileName(file.filename, kind: kind)
        let thumbnailBytes = thumbnail
        try await request.application.threadPool.runIfActive {
            try files.write(id: id, bytes: bytes, thumbnail: thumbnailBytes)
        }
        let attachment = CaseAttachment(
            id: id, caseID: item.id, fileName: name, contentType: kind.rawValue, size: Int64(size),
            sha256: SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined(), width: width,
            height: height, hasThumbnail: thumbnail != nil, uploadedBy: request.auditActor.description,
            uploadedAt: ledger.now)
        do {
            try await LedgerRepository(database: request.db).addAttachment(attachment, by: request.auditActor)
        } catch {
            // Not recorded: the bytes go too, so nothing of a refused upload stays.
            files.remove(id: id)
            if let error = error as? LedgerError { throw LedgerController.abort(error) }
            throw error
        }
        request.logger.info(
            "attachment stored", metadata: ["case": "\(item.number)", "attachment": "\(id)", "bytes": "\(size)"])
        let response = try await AttachmentJSON(attachment).encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/attachments/\(id)")
        return response
    }

    /// A file name safe to keep and to send back: no directories, no control characters, at most 120
    /// characters, with the extension of what the file is.
    static func cleanFileName(_ name: String, kind: Kind) -> String {
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var cleaned = String(
            base.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
        cleaned = String(cleaned.prefix(120))
        if cleaned.isEmpty || cleaned.hasPrefix(".") { cleaned = "evidence" + cleaned }
        let ext = kind == .jpeg ? ["jpg", "jpeg"] : kind == .png ? ["png"] : ["pdf"]
        if !ext.contains(where: { cleaned.lowercased().hasSuffix("." + $0) }) { cleaned += "." + ext[0] }
        return cleaned
    }

    static func visibleAttachment(_ request: Request) async throws -> CaseAttachment {
        let id = try request.parameters.require("id")
        guard let attachment = try await LedgerRepository(database: request.db).attachment(id: id) else {
            throw Abort(.notFound, reason: LedgerError.notFound("附件 \(id)").description)
        }
        do {
            _ = try await LedgerController.visibleCase(attachment.caseID, request)
        } catch {
            throw Abort(.notFound, reason: LedgerError.notFound("附件 \(id)").description)
        }
        return attachment
    }

    @Sendable static func download(_ request: Request) async throws -> Response {
        let attachment = try await visibleAttachment(request)
        let files = AttachmentFiles(directory: request.application.ledger.attachmentsDirectory)
        return try await send(
            path: files.path(id: attachment.id), contentType: attachment.contentType, fileName: attachment.fileName,
            request)
    }

    @Sendable static func thumbnail(_ request: Request) async throws -> Response {
        let attachment = try await visibleAttachment(request)
        guard attachment.hasThumbnail else {
            throw Abort(.notFound, reason: "附件 \(attachment.id) 没有缩略图（非照片）/ no thumbnail: not a photo")
        }
        let files = AttachmentFiles(directory: request.application.ledger.attachmentsDirectory)
        return try await send(
            path: files.thumbnailPath(id: attachment.id), contentType: "image/png", fileName: "thumbnail.png", request)
    }

    static func send(path: String, contentType: String, fileName: String, _ request: Request) async throws -> Response {
        guard FileManager.default.fileExists(atPath: path) else {
            request.logger.error("attachment file missing", metadata: ["path": "\(path)"])
            throw Abort(.internalServerError, reason: "附件文件缺失，请联系管理员 / the stored file is missing")
        }
        let response = try await request.fileio.asyncStreamFile(at: path)
        let parts = contentType.split(separator: "/")
        response.headers.contentType = HTTPMediaType(type: String(parts[0]), subType: String(parts[1]))
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}

/// Where evidence bytes live: `<directory>/<first two characters of the id>/<id>` and `<id>.thumb.png`,
/// written to a temporary name and renamed, so a half-written file is never seen.
struct AttachmentFiles: Sendable {
    let directory: String

    func path(id: String) -> String { "\(directory)/\(id.prefix(2))/\(id)" }
    func thumbnailPath(id: String) -> String { path(id: id) + ".thumb.png" }

    func write(id: String, bytes: [UInt8], thumbnail: [UInt8]?) throws {
        let folder = "\(directory)/\(id.prefix(2))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path(id: id)), options: .atomic)
        if let thumbnail {
            try Data(thumbnail).write(to: URL(fileURLWithPath: thumbnailPath(id: id)), options: .atomic)
        }
    }

    func remove(id: String) {
        try? FileManager.default.removeItem(atPath: path(id: id))
        try? FileManager.default.removeItem(atPath: thumbnailPath(id: id))
    }
}
