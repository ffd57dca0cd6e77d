import Campaign
import HJ212
import Ingest
import Logging
import NIOCore

extension HJ212PacketProcessor {
    /// A data upload carrying readings (2011/2051/2061/2031). Stored first; the 9014 data answer
    /// (HJ 212-2017 §6.5.2, Flag A=1 only) goes out only after the sink has committed. If the sink fails,
    /// nothing is answered, so the device re-sends (the sink is idempotent).
    func upload(_ packet: HJ212Packet, station: Station, state: inout HJ212ConnectionState) async
        -> HJ212FrameOutcome
    {
        expireSplits(&state)
        guard packet.split != nil else { return await store([packet], station: station) }
        let disposition: SplitTracker.Disposition
        do {
            disposition = try state.splits.offer(packet)
        } catch {
            return refuse(packet, kind: error.kind, code: error.requestReturnCode, reason: error.description)
        }
        switch disposition {
        case .alone(let part):
            return await store([part], station: station)
        case .aloneCompleting(let part, let completed):
            var outcome = await store([part], station: station)
            let rest = await store(completed, station: station)
            outcome.answers += rest.answers
            return outcome
        case .held(let received, let total):
            metrics.packet(.pending)
            logger.debug(
                "HJ 212 分包已暂存 / split part held",
                metadata: [
                    "mn": .string(packet.mn), "station": .string(station.code),
                    "received": .stringConvertible(received), "total": .stringConvertible(total),
                ])
            return HJ212FrameOutcome()
        case .completed(let parts):
            return await store(parts, station: station)
        }
    }

    /// Reads, validates and stores the readings of `packets` (one packet, or the held parts of a split
    /// set) in one call to the sink, then answers each packet that asked for it.
    private func store(_ packets: [HJ212Packet], station: Station) async -> HJ212FrameOutcome {
        var readings: [Reading] = []
        var rejections: [Rejection] = []
        for packet in packets {
            let batch = HJ212Readings.readings(from: packet, stationCode: station.code)
            if batch.rejectsWholePacket, let reason = batch.rejections.first?.reason {
                // No usable DataTime: nothing can be stored; 9011 QnRtn=100 (Table 7) when an answer is wanted.
                return refuse(
                    packet, kind: reason.kind, code: .unknown, reason: reason.description, station: station.code)
            }
            readings += batch.readings
            rejections += batch.rejections
        }
        let profile = StationReportingProfile(station: station)
        let now = configuration.now()
        var valid: [Reading] = []
        valid.reserveCapacity(readings.count)
        for reading in readings {
            switch ReadingValidator.validate(reading, profile: profile, now: now) {
            case .success(let checked): valid.append(checked)
            case .failure(let reason):
                rejections.append(Rejection(stationCode: station.code, code: reading.code, reason: reason))
            }
        }
        logRejections(rejections, mn: packets[0].mn, station: station.code)
        metrics.values(inserted: 0, duplicates: 0, rejected: rejections.count)
        if valid.isEmpty {
            metrics.packet(.rejected)
        } else {
            do {
                let outcome = try await sink.store(valid)
                metrics.values(inserted: outcome.inserted, duplicates: outcome.duplicates, rejected: 0)
                metrics.packet(.stored)
            } catch {
                metrics.error("store_failed")
                metrics.packet(.storeFailed)
                logger.error(
                    "HJ 212 数据入库失败，未应答，等待设备重发 / store failed, not answered; the device will re-send",
                    metadata: [
                        "mn": .string(packets[0].mn), "station": .string(station.code),
                        "readings": .stringConvertible(valid.count), "error": .string("\(error)"),
                    ])
                return HJ212FrameOutcome()
            }
        }
        // Each part's 9014 echoes that part's own QN (Table C.50).
        let answers = packets.filter(\.needsAnswer).map { HJ212Answers.dataAnswer(to: $0) }
        return HJ212FrameOutcome(answers: answers)
    }

    private func logRejections(_ rejections: [Rejection], mn: String, station: String) {
        for rejection in rejections {
            metrics.error(rejection.reason.kind)
            var metadata: Logger.Metadata = [
                "mn": .string(mn), "station": .string(station), "kind": .string(rejection.reason.kind),
                "reason": .string(rejection.reason.description),
            ]
            metadata["code"] = rejection.code.map { .string($0) }
            logger.warning("HJ 212 数值被拒绝 / value rejected", metadata: metadata)
        }
    }

    private func expireSplits(_ state: inout HJ212ConnectionState) {
        for set in state.splits.expire() {
            metrics.error("split_expired")
            logger.warning(
                "HJ 212 分包未收齐，已丢弃 / incomplete split upload dropped",
                metadata: [
                    "mn": .string(set.key.mn), "cn": .string(set.key.cn.rawValue), "peer": .string(state.peer),
                    "received": .string(set.received.map(String.init).joined(separator: ",")),
                    "total": .stringConvertible(set.key.total),
                ])
        }
    }
}
