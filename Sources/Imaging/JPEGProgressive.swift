/// Progressive refinement (T.81 Annex G): coefficients gather over the scans and are transformed at EOI.
extension JPEGDecoder {
    /// An AC band's first scan (§G.1.2.2): run/size pairs and end-of-band runs spanning blocks.
    mutating func decodeACFirst(
        _ reader: inout EntropyReader, scan: JPEGScan, table: HuffmanTable, component: Int, base: Int
    ) throws(ImageError) {
        if endOfBandRun > 0 {
            endOfBandRun -= 1
            return
        }
        var k = scan.spectralStart
        while k <= scan.spectralEnd {
            let symbol = try reader.decode(table)
            let run = symbol >> 4
            let size = symbol & 15
            if size == 0 {
                if run < 15 {
                    endOfBandRun = (1 << run) - 1 + reader.receive(run)
                    break
                }
                k += 16
                continue
            }
            k += run
            guard k <= scan.spectralEnd else {
                throw .corrupt(zh: "JPEG 交流系数越界", en: "JPEG AC coefficients run past the band")
            }
            let value = Self.clamped(reader.receiveExtended(size)) << scan.approximationLow
            coefficients[component][base + Self.zigzag[k]] = Int16(truncatingIfNeeded: value)
            k += 1
        }
    }

    /// An AC band's refinement scan (§G.1.2.3): one correction bit for each coefficient already non-zero,
    /// new coefficients of ±1 placed after the zero run.
    mutating func decodeACRefine(
        _ reader: inout EntropyReader, scan: JPEGScan, table: HuffmanTable, component: Int, base: Int
    ) throws(ImageError) {
        let plus = Int16(truncatingIfNeeded: 1 << scan.approximationLow)
        var k = scan.spectralStart
        if endOfBandRun == 0 {
            while k <= scan.spectralEnd {
                let symbol = try reader.decode(table)
                var run = symbol >> 4
                let size = symbol & 15
                var newValue: Int16 = 0
                if size != 0 {
                    guard size == 1 else {
                        throw .corrupt(zh: "JPEG 渐进细化系数无效", en: "invalid JPEG progressive refinement coefficient")
                    }
                    newValue = reader.bit() ? plus : 0 &- plus
                } else if run != 15 {
                    endOfBandRun = (1 << run) + reader.receive(run)
                    break
                }
                // Skip `run` zero coefficients, refining the non-zero ones passed on the way.
                while k <= scan.spectralEnd {
                    let at = base + Self.zigzag[k]
                    if coefficients[component][at] != 0 {
                        refine(component: component, at: at, plus: plus, &reader)
                    } else {
                        if run == 0 { break }
                        run -= 1
                    }
                    k += 1
                }
                if newValue != 0 {
                    guard k <= scan.spectralEnd else {
                        throw .corrupt(zh: "JPEG 交流系数越界", en: "JPEG AC coefficients run past the band")
                    }
                    coefficients[component][base + Self.zigzag[k]] = newValue
                }
                k += 1
            }
        }
        if endOfBandRun > 0 {
            while k <= scan.spectralEnd {
                let at = base + Self.zigzag[k]
                if coefficients[component][at] != 0 { refine(component: component, at: at, plus: plus, &reader) }
                k += 1
            }
            endOfBandRun -= 1
        }
    }

    @inline(__always)
    private mutating func refine(component: Int, at: Int, plus: Int16, _ reader: inout EntropyReader) {
        let value = coefficients[component][at]
        if reader.bit(), value & plus == 0 {
            coefficients[component][at] = value >= 0 ? value &+ plus : value &- plus
        }
    }

    /// At EOI: dequantise every block of the padded grid and transform it into its plane.
    mutating func reconstructProgressive() throws(ImageError) {
        for component in frame.components.indices {
            let layout = frame.components[component]
            try checkQuantisation(layout)
            let quantBase = layout.quantTable * 64
            for blockIndex in 0..<(layout.blocksPerLine * layout.blocksPerColumn) {
                let base = blockIndex * 64
                coefficients[component].withUnsafeBufferPointer { source in
                    for i in 0..<64 { block[i] = Int(source[base + i]) * quant[quantBase + i] }
                }
                emitBlock(component: component, blockIndex: blockIndex)
            }
        }
    }
}
