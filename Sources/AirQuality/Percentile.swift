/// Percentiles per HJ 663-2013 Appendix A (STANDARDS §3.2 [M formula; C behaviour]):
///
/// 1. sort the n values ascending, X(1) ≤ … ≤ X(n);
/// 2. k = 1 + (n − 1) × p / 100, s = the integer part of k;
/// 3. m_p = X(s) + (X(s+1) − X(s)) × (k − s);  4. if s = n, m_p = X(n).
///
/// This is linear interpolation "type 7" (R and numpy defaults). `p` is an integer percentile
/// (90, 95, 98) so s and k − s are computed exactly in integers.
public enum Percentile {
    /// The p-th percentile of `values`, nil when empty. `p` in 0 … 100.
    public static func hj663(_ values: [Double], p: Int) -> Double? {
        precondition((0...100).contains(p), "percentile in 0 … 100")
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let n = sorted.count
        let scaled = (n - 1) * p  // (k − 1) × 100
        let s = 1 + scaled / 100  // 1-based integer part of k
        let fraction = Double(scaled % 100) / 100
        if s >= n { return sorted[n - 1] }
        let low = sorted[s - 1]
        let high = sorted[s]
        return low + (high - low) * fraction
    }
}
