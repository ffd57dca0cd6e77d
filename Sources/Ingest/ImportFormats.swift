import AirQuality

/// What a file (or a chunk of one) yielded: readings with the unit the file states, the rows or values
/// that could not be read, and counts for the summary `lantian import` prints.
public struct ImportBatch: Sendable, Hashable {
    public var readings: [ImportedReading]
    /// `position` is the 1-based line number in the file.
    public var rejections: [Rejection]
    /// Data rows read (the header and blank lines not counted).
    public var rowCount: Int
    /// Values the file marks as not measured (`NA`, `—`, empty): neither readings nor rejections.
    public var missing: Int

    public init(readings: [ImportedReading] = [], rejections: [Rejection] = [], rowCount: Int = 0, missing: Int = 0) {
        self.readings = readings
        self.rejections = rejections
        self.rowCount = rowCount
        self.missing = missing
    }

    public mutating func append(_ other: ImportBatch) {
        readings += other.readings
        rejections += other.rejections
        rowCount += other.rowCount
        missing += other.missing
    }

    mutating func reject(_ line: Int, _ reason: RejectionReason, station: String? = nil, code: String? = nil) {
        rejections.append(Rejection(position: line, stationCode: station, code: code, reason: reason))
    }
}

/// A CSV layout that `lantian import` reads: a header row, then one record per line. Implementations are
/// pure and keep no state between records, so a file can be read in chunks (see ``ReadingFileReader``).
public protocol ReadingFileFormat: Sendable {
    /// Locates the columns; throws `.missingField` naming a required column that the header lacks.
    init(header: [String]) throws(RejectionReason)
    /// Reads one data record found on `line` (1-based, in the whole file).
    func read(_ fields: [String], line: Int, into batch: inout ImportBatch)
}

extension ReadingFileFormat {
    /// Reads whole data lines (no header) whose first line is line `firstLine` of the file.
    public func parse(_ lines: Substring, firstLine: Int) -> ImportBatch {
        var batch = ImportBatch()
        for record in CSVReader.records(String(lines)) {
            read(record.fields, line: firstLine + record.line - 1, into: &batch)
        }
        return batch
    }

    /// Reads a whole file held in memory, header included.
    public static func parse(_ text: String) -> ImportBatch {
        var reader = ReadingFileReader<Self>()
        var batch = reader.feed(text.utf8)
        batch.append(reader.finish())
        return batch
    }

    /// `column` (compared case-insensitively, blind to `.`, `_`, `-`, spaces) in `header`, or
    /// `.missingField` naming it.
    static func column(_ column: String, in header: [String]) throws(RejectionReason) -> Int {
        let wanted = ColumnLayout.normalise(column)
        guard let index = header.firstIndex(where: { ColumnLayout.normalise($0) == wanted }) else {
            throw RejectionReason.missingField(column)
        }
        return index
    }
}

/// Reads a file of any size in pieces: feed it bytes as they come from disk, collect each batch, then
/// call ``finish()``. Only whole lines are parsed (a line break inside a quoted field does not end a
/// line), so a chunk boundary may fall anywhere, even inside a UTF-8 character. Line numbers count
/// from the start of the file.
public struct ReadingFileReader<Format: ReadingFileFormat>: Sendable {
    /// The format, once the header has been read.
    public private(set) var format: Format?
    private var headerFailed = false
    private var pending: [UInt8] = []
    private var scanned = 0
    private var inQuotes = false
    private var nextLine = 1

    public init() {}

    /// Parses every complete line now buffered; keeps the incomplete last line for the next call.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> ImportBatch {
        pending.append(contentsOf: bytes)
        var lastBreak: Int?
        for index in scanned..<pending.count {
            switch pending[index] {
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: "\n") where !inQuotes: lastBreak = index
            default: break
            }
        }
        scanned = pending.count
        guard let lastBreak else { return ImportBatch() }
        let whole = Array(pending[...lastBreak])
        pending.removeFirst(lastBreak + 1)
        scanned = pending.count
        return consume(whole)
    }

    /// Parses what is left (a last line without a line break). An empty file is one rejection.
    public mutating func finish() -> ImportBatch {
        var batch = ImportBatch()
        if !pending.isEmpty {
            batch = consume(pending)
            pending.removeAll()
            scanned = 0
        }
        if format == nil && !headerFailed {
            headerFailed = true
            batch.reject(nextLine, .missingField("表头 header"))
        }
        return batch
    }

    private mutating func consume(_ bytes: [UInt8]) -> ImportBatch {
        let firstLine = nextLine
        nextLine += bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        var batch = ImportBatch()
        guard !headerFailed else { return batch }
        var records = CSVReader.records(String(decoding: bytes, as: UTF8.self))[...]
        if format == nil {
            guard let header = records.popFirst() else { return batch }
            do {
                format = try Format(header: header.fields.map { $0.trimmingSpaces() })
            } catch {
                headerFailed = true
                batch.reject(firstLine + header.line - 1, error)
                return batch
            }
        }
        guard let format else { return batch }
        for record in records {
            format.read(record.fields, line: firstLine + record.line - 1, into: &batch)
        }
        return batch
    }
}

/// Shared by the fixed-column formats: a number, a missing marker, or a rejection.
enum CellValue {
    case number(Double)
    case missing
    case invalid(String)

    init(_ text: String) {
        if MissingValue.isMissing(Substring(text)) {
            self = .missing
            return
        }
        let trimmed = text.trimmingSpaces()
        if let number = Double(trimmed), number.isFinite {
            self = .number(number)
        } else {
            self = .invalid(trimmed)
        }
    }
}
