// The only file that touches Foundation: converting wall-clock timestamps to `Date`.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension HJ212Timestamp {
    /// The instant this wall-clock time denotes in a zone `utcOffsetSeconds` east of UTC.
    /// Devices send local time with no zone; pass ``chinaUTCOffsetSeconds`` (UTC+8) for Chinese stations.
    public func date(utcOffsetSeconds: Int) -> Date {
        Date(timeIntervalSince1970: secondsSince1970(utcOffsetSeconds: utcOffsetSeconds))
    }
}
