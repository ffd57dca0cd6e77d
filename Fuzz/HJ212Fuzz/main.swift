import HJ212
import HJ212Fuzzing

/// libFuzzer entry points. Every input goes through `HJ212Oracle` (both parser policies, the
/// bare-segment parser, the frame scanner chunked as a socket delivers it, the reassembler and an
/// encode/parse round trip); a broken property stops the run with the input saved as a finding.
/// The custom mutator damages the data segment and frames it again with a correct length and CRC
/// most of the time, so that inputs get past the CRC into the body parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func hj212FuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let problems = oracle.check(Array(UnsafeBufferPointer(start: data, count: size)))
    if let first = problems.first { fatalError(first) }
    return 0
}

@_cdecl("LLVMFuzzerCustomMutator")
public func hj212FuzzMutate(
    _ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32
) -> Int {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: input, as: UTF8.self)
    let segments = HJ212Mutator.segments(ofFrames: [text])
    var random = SplitMix64(seed: UInt64(seed))
    let output = HJ212Mutator(seeds: segments.isEmpty ? [input] : segments).next(using: &random).prefix(maxSize)
    for (index, byte) in output.enumerated() { data[index] = byte }
    return output.count
}
