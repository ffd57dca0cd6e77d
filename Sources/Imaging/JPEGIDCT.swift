/// The 8×8 inverse DCT in integer arithmetic (the separable, 12-bit fixed-point "islow" factorisation
/// of libjpeg's jidctint.c, as stb_image writes it), level shift and clamp included (T.81 §A.3.3).
enum JPEGIDCT {
    @inline(__always) private static func fixed(_ value: Double) -> Int { Int(value * 4096 + 0.5) }

    private static let c0541 = fixed(0.5411961)
    private static let c1847 = fixed(-1.847759065)
    private static let c0765 = fixed(0.765366865)
    private static let c1175 = fixed(1.175875602)
    private static let c0298 = fixed(0.298631336)
    private static let c2053 = fixed(2.053119869)
    private static let c3072 = fixed(3.072711026)
    private static let c1501 = fixed(1.501321110)
    private static let c0899 = fixed(-0.899976223)
    private static let c2562 = fixed(-2.562915447)
    private static let c1961 = fixed(-1.961570560)
    private static let c0390 = fixed(-0.390180644)

    /// One 1-D pass: the even part (x0…x3) and the odd part (t0…t3) whose sums and differences are the outputs.
    @inline(__always)
    private static func pass(
        _ s0: Int, _ s1: Int, _ s2: Int, _ s3: Int, _ s4: Int, _ s5: Int, _ s6: Int, _ s7: Int
    ) -> (x: (Int, Int, Int, Int), t: (Int, Int, Int, Int)) {
        var p1 = (s2 + s6) * c0541
        let t2e = p1 + s6 * c1847
        let t3e = p1 + s2 * c0765
        let t0e = (s0 + s4) * 4096
        let t1e = (s0 - s4) * 4096
        let x0 = t0e + t3e
        let x3 = t0e - t3e
        let x1 = t1e + t2e
        let x2 = t1e - t2e
        var t0 = s7
        var t1 = s5
        var t2 = s3
        var t3 = s1
        var p3 = t0 + t2
        var p4 = t1 + t3
        p1 = t0 + t3
        var p2 = t1 + t2
        let p5 = (p3 + p4) * c1175
        t0 *= c0298
        t1 *= c2053
        t2 *= c3072
        t3 *= c1501
        p1 = p5 + p1 * c0899
        p2 = p5 + p2 * c2562
        p3 *= c1961
        p4 *= c0390
        t3 += p1 + p4
        t2 += p2 + p3
        t1 += p2 + p4
        t0 += p1 + p3
        return ((x0, x1, x2, x3), (t0, t1, t2, t3))
    }

    @inline(__always)
    private static func clamp(_ value: Int) -> UInt8 { UInt8(clamping: value) }

    /// Dequantised coefficients in natural order → 8×8 samples written at `offset` in rows `stride` apart.
    static func transform(
        _ block: UnsafeMutablePointer<Int>, into out: UnsafeMutableBufferPointer<UInt8>, offset: Int, stride: Int
    ) {
        // Columns first; an all-zero AC column is just its DC (the common case).
        for column in 0..<8 {
            let d = block + column
            if d[8] == 0, d[16] == 0, d[24] == 0, d[32] == 0, d[40] == 0, d[48] == 0, d[56] == 0 {
                let dc = d[0] * 4
                for row in 0..<8 { d[row * 8] = dc }
                continue
            }
            let (x, t) = pass(d[0], d[8], d[16], d[24], d[32], d[40], d[48], d[56])
            // 12 fractional bits in, keep 2.
            d[0] = (x.0 + 512 + t.3) >> 10
            d[56] = (x.0 + 512 - t.3) >> 10
            d[8] = (x.1 + 512 + t.2) >> 10
            d[48] = (x.1 + 512 - t.2) >> 10
            d[16] = (x.2 + 512 + t.1) >> 10
            d[40] = (x.2 + 512 - t.1) >> 10
            d[24] = (x.3 + 512 + t.0) >> 10
            d[32] = (x.3 + 512 - t.0) >> 10
        }
        for row in 0..<8 {
            let v = block + row * 8
            let (x, t) = pass(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7])
            // 12 + 2 + 3 (the two √8 scalings) = 17 bits to drop, rounding, plus the +128 level shift.
            let bias = 65536 + (128 << 17)
            let o = offset + row * stride
            out[o] = clamp((x.0 + bias + t.3) >> 17)
            out[o + 7] = clamp((x.0 + bias - t.3) >> 17)
            out[o + 1] = clamp((x.1 + bias + t.2) >> 17)
            out[o + 6] = clamp((x.1 + bias - t.2) >> 17)
            out[o + 2] = clamp((x.2 + bias + t.1) >> 17)
            out[o + 5] = clamp((x.2 + bias - t.1) >> 17)
            out[o + 3] = clamp((x.3 + bias + t.0) >> 17)
            out[o + 4] = clamp((x.3 + bias - t.0) >> 17)
        }
    }
}

/// The means of an 8×8 block's four 4×4 quarters, straight from its coefficients.
///
/// With T.81's IDCT f(x, y) = ¼ Σ C(u) C(v) F(u, v) cos((2x+1)uπ/16) cos((2y+1)vπ/16), the mean over x = 0…3
/// of cos((2x+1)uπ/16) vanishes for even u > 0, and the right half's mean is (−1)^u times the left's. So each
/// quarter mean is Σ w(u) w(v) F(u, v) ± over u, v ∈ {0, 1, 3, 5, 7}: at most 25 terms, no IDCT.
enum JPEGQuarters {
    static let frequencies = [0, 1, 3, 5, 7]

    /// w(u) = C(u) / 2 × mean of cos((2x+1)uπ/16) over x = 0…3, in 2^14ths (so hostile 16-bit products stay in 64 bits).
    static let weights = [5793, 5249, -1843, 1232, -1044]

    static func means(
        _ block: UnsafeMutablePointer<Int>, into out: UnsafeMutableBufferPointer<UInt8>, offset: Int, stride: Int
    ) {
        var (topLeft, topRight, bottomLeft, bottomRight) = (0, 0, 0, 0)
        for (j, v) in frequencies.enumerated() {
            for (i, u) in frequencies.enumerated() {
                let coefficient = block[v * 8 + u]
                if coefficient == 0 { continue }
                let term = coefficient * weights[i] * weights[j]
                let (odd, oddRow) = (u & 1 == 1, v & 1 == 1)
                topLeft += term
                topRight += odd ? -term : term
                bottomLeft += oddRow ? -term : term
                bottomRight += odd != oddRow ? -term : term
            }
        }
        // 28 fractional bits; round, then level-shift by 128.
        let half = 1 << 27
        out[offset] = UInt8(clamping: 128 + (topLeft + half) >> 28)
        out[offset + 1] = UInt8(clamping: 128 + (topRight + half) >> 28)
        out[offset + stride] = UInt8(clamping: 128 + (bottomLeft + half) >> 28)
        out[offset + stride + 1] = UInt8(clamping: 128 + (bottomRight + half) >> 28)
    }
}
