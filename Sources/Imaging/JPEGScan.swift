/// One scan (T.81 §B.2.3): which components, with which tables, and which part of the spectrum.
struct JPEGScan {
    enum Kind {
        case sequential, dcFirst, dcRefine, acFirst, acRefine
    }

    struct Component {
        var index: Int
        var dcTable: HuffmanTable?
        var acTable: HuffmanTable?
    }

    var components: [Component]
    var kind: Kind
    var spectralStart: Int
    var spectralEnd: Int
    var approximationLow: Int
}

extension JPEGDecoder {
    private func parseScan(_ payload: ArraySlice<UInt8>) throws(ImageError) -> JPEGScan {
        let p = Array(payload)
        guard let count = p.first, (1...4).contains(count), p.count >= 1 + Int(count) * 2 + 3 else {
            throw .corrupt(zh: "JPEG 扫描头无效", en: "invalid JPEG scan header")
        }
        var components: [JPEGScan.Component] = []
        for i in 0..<Int(count) {
            let id = p[1 + i * 2]
            let tables = p[2 + i * 2]
            guard let index = frame.components.firstIndex(where: { $0.id == id }),
                !components.contains(where: { $0.index == index }), tables >> 4 <= 3, tables & 15 <= 3
            else {
                throw .corrupt(zh: "JPEG 扫描引用了无效的分量或表", en: "a JPEG scan names an unknown component or table")
            }
            components.append(
                .init(index: index, dcTable: dcTables[Int(tables >> 4)], acTable: acTables[Int(tables & 15)]))
            try checkQuantisation(frame.components[index])
        }
        let at = 1 + Int(count) * 2
        let (start, end) = (Int(p[at]), Int(p[at + 1]))
        let (high, low) = (Int(p[at + 2] >> 4), Int(p[at + 2] & 15))
        let kind: JPEGScan.Kind
        if !frame.progressive {
            kind = .sequential
        } else {
            // T.81 §G.1.1.1.1: DC scans are 0…0; AC scans a band within 1…63 of one component.
            let validBand = start == 0 ? end == 0 : (start <= end && end <= 63 && count == 1)
            guard validBand, high <= 13, low <= 13 else {
                throw .corrupt(zh: "JPEG 渐进扫描参数无效", en: "invalid JPEG progressive scan parameters")
            }
            kind = start == 0 ? (high == 0 ? .dcFirst : .dcRefine) : (high == 0 ? .acFirst : .acRefine)
        }
        for component in components {
            let needsDC = kind == .sequential || kind == .dcFirst
            let needsAC = kind == .sequential || kind == .acFirst || kind == .acRefine
            if (needsDC && component.dcTable == nil) || (needsAC && component.acTable == nil) {
                throw .corrupt(zh: "JPEG 扫描使用了未定义的哈夫曼表", en: "a JPEG scan uses an undefined Huffman table")
            }
        }
        return JPEGScan(
            components: components, kind: kind, spectralStart: start, spectralEnd: end, approximationLow: low)
    }

    /// Decodes the entropy-coded data after an SOS header; returns where the following marker starts.
    mutating func decodeScan(header: ArraySlice<UInt8>, dataStart: Int) throws(ImageError) -> Int {
        let scan = try parseScan(header)
        var reader = EntropyReader(bytes, at: dataStart)
        for i in predictors.indices { predictors[i] = 0 }
        endOfBandRun = 0
        // A scan of one component covers just that component's blocks, one per MCU (T.81 §A.2.2).
        let single = scan.components.count == 1
        let first = frame.components[scan.components[0].index]
        let mcusPerLine = single ? (first.width + 7) / 8 : frame.mcusPerLine
        let mcusPerColumn = single ? (first.height + 7) / 8 : frame.mcusPerColumn
        var mcu = 0
        for mcuRow in 0..<mcusPerColumn {
            for mcuColumn in 0..<mcusPerLine {
                if restartInterval > 0, mcu > 0, mcu % restartInterval == 0 {
                    try reader.restart()
                    for i in predictors.indices { predictors[i] = 0 }
                    endOfBandRun = 0
                }
                if single {
                    try decodeBlock(&reader, scan: scan, component: scan.components[0], row: mcuRow, column: mcuColumn)
                } else {
                    for component in scan.components {
                        let layout = frame.components[component.index]
                        for v in 0..<layout.vertical {
                            for h in 0..<layout.horizontal {
                                try decodeBlock(
                                    &reader, scan: scan, component: component,
                                    row: mcuRow * layout.vertical + v, column: mcuColumn * layout.horizontal + h)
                            }
                        }
                    }
                }
                try reader.checkNotOverrun()
                mcu += 1
            }
        }
        return reader.position
    }

    private mutating func decodeBlock(
        _ reader: inout EntropyReader, scan: JPEGScan, component: JPEGScan.Component, row: Int, column: Int
    ) throws(ImageError) {
        let layout = frame.components[component.index]
        let blockIndex = row * layout.blocksPerLine + column
        switch scan.kind {
        case .sequential:
            try decodeSequential(&reader, component: component, quantBase: layout.quantTable * 64)
            emitBlock(component: component.index, blockIndex: blockIndex)
        case .dcFirst:
            let difference = try decodeDifference(&reader, table: component.dcTable!)
            let value = Self.clamped(predictors[component.index] + difference)
            predictors[component.index] = value
            coefficients[component.index][blockIndex * 64] = Int16(truncatingIfNeeded: value << scan.approximationLow)
        case .dcRefine:
            if reader.bit() { coefficients[component.index][blockIndex * 64] |= Int16(1 << scan.approximationLow) }
        case .acFirst:
            try decodeACFirst(
                &reader, scan: scan, table: component.acTable!, component: component.index, base: blockIndex * 64)
        case .acRefine:
            try decodeACRefine(
                &reader, scan: scan, table: component.acTable!, component: component.index, base: blockIndex * 64)
        }
    }

    /// A coefficient kept within 16 bits, as every real 8-bit JPEG's are, so hostile data cannot overflow the IDCT.
    static func clamped(_ value: Int) -> Int { Int(Int16(clamping: value)) }

    private mutating func decodeDifference(_ reader: inout EntropyReader, table: HuffmanTable) throws(ImageError) -> Int
    {
        let length = try reader.decode(table)
        guard length <= 16 else { throw .corrupt(zh: "JPEG 直流系数长度无效", en: "invalid JPEG DC coefficient length") }
        return reader.receiveExtended(length)
    }

    /// T.81 §F.2.2: DC difference, then run/size pairs to EOB, dequantised into `block`.
    private mutating func decodeSequential(
        _ reader: inout EntropyReader, component: JPEGScan.Component, quantBase: Int
    ) throws(ImageError) {
        block.update(repeating: 0, count: 64)
        let dc = Self.clamped(predictors[component.index] + (try decodeDifference(&reader, table: component.dcTable!)))
        predictors[component.index] = dc
        block[0] = dc * quant[quantBase]
        let table = component.acTable!
        var k = 1
        while k < 64 {
            let symbol = try reader.decode(table)
            let run = symbol >> 4
            let size = symbol & 15
            if size == 0 {
                if run != 15 { break }  // EOB
                k += 16  // ZRL
                continue
            }
            k += run
            guard k < 64 else { throw .corrupt(zh: "JPEG 交流系数越界", en: "JPEG AC coefficients run past the block") }
            let at = Self.zigzag[k]
            block[at] = reader.receiveExtended(size) * quant[quantBase + at]
            k += 1
        }
    }

    /// The dequantised `block` of a component into its plane: a full IDCT, or its quarter means.
    mutating func emitBlock(component: Int, blockIndex: Int) {
        let layout = frame.components[component]
        let row = blockIndex / layout.blocksPerLine
        let column = blockIndex % layout.blocksPerLine
        let block = block
        if quarters[component] {
            let stride = layout.blocksPerLine * 2
            let offset = row * 2 * stride + column * 2
            planes[component].withUnsafeMutableBufferPointer { out in
                JPEGQuarters.means(block, into: out, offset: offset, stride: stride)
            }
            return
        }
        let stride = layout.blocksPerLine * 8
        let offset = row * 8 * stride + column * 8
        planes[component].withUnsafeMutableBufferPointer { out in
            JPEGIDCT.transform(block, into: out, offset: offset, stride: stride)
        }
    }
}
