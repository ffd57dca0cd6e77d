import HJ212
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@Suite("Frame decoder")
struct FrameDecoderTests {
    static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
    static func packet(_ text: String) -> HJ212Frame { .packet(ByteBuffer(string: text)) }

    @Test
    func everyFixturePacketByteAtATimeAndInBatches() throws {
        // ByteToMessageDecoderVerifier feeds each input whole, drip-fed byte by byte, and all at once.
        let pairs = Fixtures.packets.map { (Self.buffer($0.text + "\r\n"), [Self.packet($0.text)]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { HJ212FrameDecoder() }
    }

    @Test
    func garbageBeforeFramesIsSkippedAndReported() throws {
        let first = Fixtures.packets[0].text
        let second = Fixtures.packets[1].text
        let pairs: [(ByteBuffer, [HJ212Frame])] = [
            (
                Self.buffer("AT+CSQ\r\nOK\r\n" + first + "\r\n"),
                [.discarded(byteCount: 12, reason: .garbage), Self.packet(first)]
            ),
            (
                Self.buffer("\u{0}\u{FF}#x#" + second + "\r\n"),
                [.discarded(byteCount: 6, reason: .garbage), Self.packet(second)]
            ),
            // A run of '#': the frame starts at the last "##".
            (Self.buffer("#" + first + "\r\n"), [.discarded(byteCount: 1, reason: .garbage), Self.packet(first)]),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { HJ212FrameDecoder() }
    }

    @Test
    func truncatedFrameIsCutAtTheNextHeader() throws {
        let whole = Fixtures.packets[2].text
        let cut = String(Fixtures.packets[3].text.prefix(40))
        let pairs: [(ByteBuffer, [HJ212Frame])] = [
            (Self.buffer(cut + whole + "\r\n"), [.discarded(byteCount: 40, reason: .truncated), Self.packet(whole)])
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { HJ212FrameDecoder() }
    }

    @Test
    func oversizeFrameIsDroppedAndTheDecoderRecovers() throws {
        let limit = 200
        let long = "##0300" + String(repeating: "A", count: 300) + "\r\n"
        let short = Fixtures.packets.first { $0.text.count <= limit }!.text
        let pairs: [(ByteBuffer, [HJ212Frame])] = [
            (
                Self.buffer(long + short + "\r\n"),
                [
                    .discarded(byteCount: limit + 1, reason: .oversize),
                    .discarded(byteCount: long.utf8.count - limit - 1, reason: .garbage),
                    Self.packet(short),
                ]
            )
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            HJ212FrameDecoder(maxFrameLength: limit)
        }
    }

    @Test
    func frameOfExactlyTheLimitPasses() throws {
        let text = "##" + String(repeating: "B", count: 98)
        let pairs = [(Self.buffer(text + "\r\n"), [Self.packet(text)])]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            HJ212FrameDecoder(maxFrameLength: 100)
        }
    }

    @Test
    func endOfInputReportsLeftovers() throws {
        // Given a channel that receives a whole frame, then half of one
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(HJ212FrameDecoder()))
        let text = Fixtures.packets[4].text
        try channel.writeInbound(Self.buffer(text + "\r\nnoise##0101QN="))
        #expect(try channel.readInbound(as: HJ212Frame.self) == Self.packet(text))
        #expect(try channel.readInbound(as: HJ212Frame.self) == .discarded(byteCount: 5, reason: .garbage))
        #expect(try channel.readInbound(as: HJ212Frame.self) == nil)
        // When the link closes
        channel.pipeline.fireChannelInactive()
        // Then the half frame is reported as truncated (decodeLast drains the scanner)
        #expect(try channel.readInbound(as: HJ212Frame.self) == .discarded(byteCount: 9, reason: .truncated))
        #expect(try channel.finish().isClean)
    }

    @Test
    func scannerWithoutAChannelHandlesByteAtATimeAndEOF() {
        var scanner = HJ212FrameScanner()
        var buffer = ByteBuffer()
        var frames: [HJ212Frame] = []
        let input = Array(("xx" + Fixtures.packets[0].text + "\r\n##0001").utf8)
        for byte in input {
            buffer.writeInteger(byte)
            while let frame = scanner.next(&buffer) { frames.append(frame) }
        }
        while let frame = scanner.finish(&buffer) { frames.append(frame) }
        #expect(
            frames == [
                .discarded(byteCount: 2, reason: .garbage), Self.packet(Fixtures.packets[0].text),
                .discarded(byteCount: 6, reason: .truncated),
            ])
        #expect(buffer.readableBytes == 0)
    }

    @Test
    func decodedFramesParse() throws {
        var scanner = HJ212FrameScanner()
        var buffer = ByteBuffer(string: Fixtures.packets.map { $0.text + "\r\n" }.joined())
        let parser = HJ212Parser(policy: .tolerant)
        var count = 0
        while let frame = scanner.next(&buffer) {
            guard case .packet(let bytes) = frame else {
                Issue.record("unexpected \(frame)")
                continue
            }
            _ = try parser.parse(frame: bytes)
            count += 1
        }
        #expect(count == Fixtures.packets.count)
    }

    @Test
    func recordedStreamSplitsTheSameWhateverTheChunkSize() {
        let stream = Array(("junk" + Fixtures.packets.prefix(5).map { $0.text + "\r\n" }.joined() + "##00").utf8)
        let whole = HJ212FrameScanner.frames(in: stream)
        #expect(whole.count == 7)
        #expect(whole.first == .discarded(byteCount: 4, reason: .garbage))
        #expect(whole.last == .discarded(byteCount: 4, reason: .truncated))
        for chunk in [1, 2, 3, 7, 64] {
            #expect(HJ212FrameScanner.frames(in: stream, chunkSize: chunk) == whole, "chunk \(chunk)")
        }
    }

    @Test
    func packetEncoderHandlerWritesFrames() throws {
        // Given a channel with the outbound encoder
        let channel = EmbeddedChannel(handler: MessageToByteHandler(HJ212PacketEncoder()))
        let request = try HJ212Parser().parse(ParserErrorTests.example).packet
        // When the 9014 answer is written
        try channel.writeOutbound(HJ212Answers.dataAnswer(to: request))
        // Then the bytes are a complete frame that parses back
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: written).hasPrefix("##0087QN=20160801085857223;ST=91;CN=9014;PW=100000;"))
        #expect(String(buffer: written).hasSuffix("CP=&&&&71C0\r\n"))
        let answer = try HJ212Parser().parse(frame: written, requireTerminator: true).packet
        #expect(answer.cn == .dataAnswer)
        #expect(answer.qn == request.qn)
        #expect(try channel.finish().isClean)
    }
}
