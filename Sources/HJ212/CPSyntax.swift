extension CPData {
    /// Splits CP content into items. Never fails: anything odd is recorded as a deviation and the
    /// policy decides (see ``HJ212Parser``).
    static func parse(_ bytes: [UInt8]) -> (data: CPData, deviations: HJ212Deviations) {
        var deviations: HJ212Deviations = []
        let spans = bytes.withUnsafeBufferPointer { index($0, deviations: &deviations) }
        return (CPData(bytes: bytes, spans: spans), deviations)
    }

    static func index(_ buffer: UnsafeBufferPointer<UInt8>, deviations: inout HJ212Deviations) -> [Span] {
        let count = buffer.count
        var spans: [Span] = []
        guard count > 0 else { return spans }
        spans.reserveCapacity(count / 12 + 1)
        var itemStart = 0
        var separator: UInt8 = 0
        while true {
            var end = itemStart
            var equals = -1
            while end < count {
                let byte = buffer[end]
                if byte == UInt8(ascii: ";") || byte == UInt8(ascii: ",") { break }
                if byte == UInt8(ascii: "=") && equals < 0 { equals = end }
                end += 1
            }
            if let span = item(buffer, itemStart, end, equals, separator, &deviations) {
                spans.append(span)
            }
            if end >= count { break }
            separator = buffer[end]
            itemStart = end + 1
        }
        return spans
    }

    private static func item(
        _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ equals: Int, _ separator: UInt8,
        _ deviations: inout HJ212Deviations
    ) -> Span? {
        let space = UInt8(ascii: " ")
        var start = start
        var end = end
        let originalStart = start
        let originalEnd = end
        while start < end && buffer[start] == space { start += 1 }
        while end > start && buffer[end - 1] == space { end -= 1 }
        guard start < end else {
            // Spaces only, or an empty item: a trailing `;` before `&&`, or `;;`.
            deviations.insert(originalEnd > originalStart ? .whitespace : .emptyCPItem)
            return nil
        }
        if start != originalStart || end != originalEnd { deviations.insert(.whitespace) }
        guard equals >= start && equals < end else {
            deviations.insert(.cpFieldWithoutEquals)
            return Span(
                separator: separator, nameStart: Int32(start), nameEnd: Int32(end), dash: -1, valueStart: -1,
                valueEnd: -1)
        }
        var nameEnd = equals
        while nameEnd > start && buffer[nameEnd - 1] == space { nameEnd -= 1 }
        var valueStart = equals + 1
        while valueStart < end && buffer[valueStart] == space { valueStart += 1 }
        if nameEnd != equals || valueStart != equals + 1 { deviations.insert(.whitespace) }
        if nameEnd == start { deviations.insert(.cpFieldWithoutEquals) }
        var dash = -1
        var cursor = nameEnd - 2
        while cursor > start {
            if buffer[cursor] == UInt8(ascii: "-") {
                dash = cursor
                break
            }
            cursor -= 1
        }
        return Span(
            separator: separator, nameStart: Int32(start), nameEnd: Int32(nameEnd), dash: Int32(dash),
            valueStart: Int32(valueStart), valueEnd: Int32(end))
    }
}
