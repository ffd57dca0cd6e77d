import CZlib

/// The system zlib: deflate and CRC-32 for PNG output; `Inflater` for PNG input.
enum Zlib {
    /// Deflates `data` as a zlib stream (level 6).
    static func deflate(_ data: [UInt8]) throws(ImageError) -> [UInt8] {
        var capacity = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &capacity, input.baseAddress, uLong(data.count), 6)
            }
        }
        guard status == Z_OK else {
            throw .unsupported(zh: "PNG 压缩失败（zlib 错误 \(status)）", en: "PNG compression failed (zlib \(status))")
        }
        output.removeSubrange(Int(capacity)...)
        return output
    }

    /// The CRC-32 of `bytes[range]` (ISO 3309, as PNG chunks use).
    static func crc32(_ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(0, buffer.baseAddress.map { $0 + range.lowerBound }, uInt(range.count)))
        }
    }
}

/// Inflates a zlib stream a piece at a time, so a PNG is decoded a row at a time: memory stays at two rows
/// whatever the header claims, and a decompression bomb yields no more than the rows asked for.
final class Inflater {
    private let compressed: [UInt8]
    private var stream = z_stream()
    private var finished = false

    init(_ compressed: [UInt8]) throws(ImageError) {
        guard !compressed.isEmpty else {
            throw .corrupt(zh: "PNG 没有像素数据（IDAT）", en: "the PNG has no pixel data (IDAT)")
        }
        self.compressed = compressed
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .unsupported(zh: "无法初始化 zlib 解压", en: "zlib inflate could not start")
        }
    }

    deinit { inflateEnd(&stream) }

    /// Fills `buffer` entirely with the next inflated bytes, or throws.
    func read(into buffer: inout [UInt8]) throws(ImageError) {
        let count = buffer.count
        let consumed = Int(stream.total_in)
        let status = compressed.withUnsafeBufferPointer { input in
            buffer.withUnsafeMutableBufferPointer { output -> Int32 in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                stream.avail_in = uInt(input.count - consumed)
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(count)
                var status = Z_OK
                while stream.avail_out > 0, status == Z_OK, !finished {
                    status = inflate(&stream, Z_NO_FLUSH)
                    if status == Z_STREAM_END { finished = true }
                }
                return stream.avail_out == 0 ? Z_OK : (finished ? Z_STREAM_END : status)
            }
        }
        switch status {
        case Z_OK: return
        case Z_STREAM_END:
            throw .truncated(zh: "PNG 像素数据比图片尺寸所需的少", en: "PNG pixel data is shorter than the dimensions require")
        case Z_BUF_ERROR:
            throw .truncated(zh: "PNG 压缩数据在结束前中断", en: "the PNG compressed data ends early")
        case Z_MEM_ERROR:
            throw .unsupported(zh: "解压内存不足", en: "out of memory while inflating")
        default:
            throw .corrupt(zh: "PNG 压缩数据无效（zlib 错误 \(status)）", en: "invalid PNG compressed data (zlib \(status))")
        }
    }
}
