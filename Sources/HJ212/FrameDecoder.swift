import NIOCore

/// Why bytes on the link were dropped by the frame decoder.
public enum DiscardReason: Sendable, Hashable {
    /// Bytes before a `##` (line noise, a half frame from before the connection, AT-command chatter…).
    case garbage
    /// A frame cut short: a new `##` arrived, or the link closed, before its CR LF.
    case truncated
    /// No CR LF within the maximum frame length.
    case oversize
}

/// What the frame decoder yields: a frame to hand to ``HJ212Parser``, or a report of dropped bytes.
public enum HJ212Frame: Sendable, Equatable {
    /// From `##` through the CRC, CR LF stripped.
    case packet(ByteBuffer)
    /// Bytes skipped while resynchronising.
    case discarded(byteCount: Int, reason: DiscardReason)
}

/// The framing logic, independent of a channel: finds `##` … CR LF, skips garbage, cuts truncated
/// and oversize frames. Decisions depend only on the bytes, never on how they were chunked, so the
/// output is the same whether the input arrives byte by byte or all at once. Garbage is reported
/// once per run, when the next `##` (or the end of input) shows where it stops.
public struct HJ212FrameScanner: Sendable {
    /// `##` + 4-digit length + the largest declarable data segment (9999) + CRC.
    public static let defaultMaxFrameLength = HJ212Limits.frameOverhead + HJ212Limits.maxDeclarableDataSegment

    /// Longest frame accepted, counted from `##` up to (not including) CR LF.
    public let maxFrameLength: Int
    private var pendingGarbage = 0
    private var inFrame = false
    /// Within a frame: the first pair index not yet examined.
    private var scanFrom = 2

    public init(maxFrameLength: Int = HJ212FrameScanner.defaultMaxFrameLength) {
        self.maxFrameLength = max(maxFrameLength, HJ212Limits.frameOverhead)
    }

    /// The next frame or discard report from `buffer`, consuming what it reports; nil when more bytes are needed.
    public mutating func next(_ buffer: inout ByteBuffer) -> HJ212Frame? {
        while true {
            if !inFrame {
                guard seekFrameStart(&buffer) else { return nil }
                if pendingGarbage > 0 {
                    defer { pendingGarbage = 0 }
                    return .discarded(byteCount: pendingGarbage, reason: .garbage)
                }
                continue
            }
            return scanFrame(&buffer)
        }
    }

    /// At end of input: reports what is left (a truncated frame and/or garbage), consuming it.
    public mutating func finish(_ buffer: inout ByteBuffer) -> HJ212Frame? {
        if let frame = next(&buffer) { return frame }
        if inFrame, buffer.readableBytes > 0 {
            let count = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: count)
            inFrame = false
            scanFrom = 2
            return .discarded(byteCount: count, reason: .truncated)
        }
        pendingGarbage += buffer.readableBytes
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        guard pendingGarbage > 0 else { return nil }
        defer { pendingGarbage = 0 }
        return .discarded(byteCount: pendingGarbage, reason: .garbage)
    }

    /// Moves the reader to the next `##` (the last two of a run of `#`); false when more bytes are needed.
    private mutating func seekFrameStart(_ buffer: inout ByteBuffer) -> Bool {
        let hash = UInt8(ascii: "#")
        let (skip, found): (Int, Bool) = buffer.withUnsafeReadableBytes { bytes in
            let count = bytes.count
            var index = 0
            while index + 1 < count {
                if bytes[index] == hash && bytes[index + 1] == hash {
                    var start = index
                    while start + 2 < count && bytes[start + 2] == hash { start += 1 }
                    // Need the byte after the pair to know the run of '#' has ended.
                    return start + 2 < count ? (start, true) : (start, false)
                }
                index += 1
            }
            // Keep a trailing '#': it may be the first half of "##".
            return (count > 0 && bytes[count - 1] == hash ? count - 1 : count, false)
        }
        pendingGarbage += skip
        buffer.moveReaderIndex(forwardBy: skip)
        if found {
            inFrame = true
            scanFrom = 2
        }
        return found
    }

    private enum ScanResult {
        case terminator(Int)
        case newStart(Int)
        case oversize
        case needMore(Int)
    }

    private mutating func scanFrame(_ buffer: inout ByteBuffer) -> HJ212Frame? {
        let maxFrameLength = self.maxFrameLength
        let scanFrom = self.scanFrom
        let result: ScanResult = buffer.withUnsafeReadableBytes { bytes in
            let count = bytes.count
            // A pair starting at `pair` ends a frame of `pair` bytes; frames may be up to maxFrameLength.
            let lastPair = min(count - 2, maxFrameLength)
            var pair = scanFrom
            while pair <= lastPair {
                let byte = bytes[pair]
                if byte == 0x0D && bytes[pair + 1] == 0x0A { return .terminator(pair) }
                if byte == UInt8(ascii: "#") && bytes[pair + 1] == UInt8(ascii: "#") { return .newStart(pair) }
                pair += 1
            }
            if count - 2 >= maxFrameLength { return .oversize }
            return .needMore(max(2, pair))
        }
        switch result {
        case .terminator(let length):
            let frame = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 2)
            inFrame = false
            return .packet(frame)
        case .newStart(let length):
            buffer.moveReaderIndex(forwardBy: length)
            self.scanFrom = 2
            return .discarded(byteCount: length, reason: .truncated)
        case .oversize:
            buffer.moveReaderIndex(forwardBy: maxFrameLength + 1)
            inFrame = false
            return .discarded(byteCount: maxFrameLength + 1, reason: .oversize)
        case .needMore(let resume):
            self.scanFrom = resume
            return nil
        }
    }
}

extension HJ212FrameScanner {
    /// Splits a recorded byte stream (a log, a capture, fuzz input) into frames, feeding it
    /// `chunkSize` bytes at a time as a socket would, and reporting leftovers at the end.
    public static func frames(
        in bytes: [UInt8], chunkSize: Int = .max, maxFrameLength: Int = defaultMaxFrameLength
    ) -> [HJ212Frame] {
        var scanner = HJ212FrameScanner(maxFrameLength: maxFrameLength)
        var buffer = ByteBuffer()
        var frames: [HJ212Frame] = []
        var offset = 0
        let step = Swift.max(1, chunkSize)
        while offset < bytes.count {
            let end = offset + Swift.min(step, bytes.count - offset)
            buffer.writeBytes(bytes[offset..<end])
            offset = end
            while let frame = scanner.next(&buffer) { frames.append(frame) }
        }
        while let frame = scanner.finish(&buffer) { frames.append(frame) }
        return frames
    }
}

/// SwiftNIO decoder for HJ 212 over TCP: emits ``HJ212Frame`` values and resynchronises after garbage.
/// Put it in a `ByteToMessageHandler`, then parse each `.packet` with ``HJ212Parser``.
public struct HJ212FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = HJ212Frame

    private var scanner: HJ212FrameScanner

    public init(maxFrameLength: Int = HJ212FrameScanner.defaultMaxFrameLength) {
        scanner = HJ212FrameScanner(maxFrameLength: maxFrameLength)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = scanner.next(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool)
        throws -> DecodingState
    {
        while let frame = scanner.finish(&buffer) {
            context.fireChannelRead(wrapInboundOut(frame))
        }
        return .needMoreData
    }
}

/// SwiftNIO encoder: writes outbound ``HJ212Packet`` values as frames.
public struct HJ212PacketEncoder: MessageToByteEncoder {
    public typealias OutboundIn = HJ212Packet

    public let encoder: HJ212Encoder

    public init(encoder: HJ212Encoder = HJ212Encoder()) {
        self.encoder = encoder
    }

    public func encode(data: HJ212Packet, out: inout ByteBuffer) throws {
        try encoder.encode(data, into: &out)
    }
}
