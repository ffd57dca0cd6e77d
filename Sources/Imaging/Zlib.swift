import CZlib

/// The system zlib, bounded: inflation never writes past the size the header promised.
enum Zlib {
    /// Inflates a zlib stream into exactly `expectedCount` bytes. Data beyond that is ignored, so a
    /// decompression bomb costs no more memory than the header announced (and `Thumbnailer` bounds that).
    static func inflate(_ compressed: [UInt8], expectedCount: Int) throws(ImageError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expectedCount)
        var produced = uLongf(expectedCount)
        var consumed = uLong(compressed.count)
        let status = output.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress2(out.baseAddress, &produced, input.baseAddress, &consumed)
            }
        }
        switch status {
        case Z_OK where Int(produced) == expectedCount, Z_BUF_ERROR where Int(produced) == expectedCount:
            return output
        case Z_OK:
            throw .truncated(zh: "PNG 像素数据比图片尺寸所需的少", en: "PNG pixel data is shorter than the dimensions require")
        case Z_DATA_ERROR where consumed == uLong(compressed.count):
            throw .truncated(zh: "PNG 压缩数据在结束前中断", en: "the PNG compressed data ends early")
        case Z_MEM_ERROR:
            throw .unsupported(zh: "解压内存不足", en: "out of memory while inflating")
        default:
            throw .corrupt(zh: "PNG 压缩数据无效（zlib 错误 \(status)）", en: "invalid PNG compressed data (zlib \(status))")
        }
    }

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
