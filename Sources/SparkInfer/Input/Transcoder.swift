import SparkModel

/// Streaming conversion of UTF-16 and Windows-1252 into UTF-8, chunk by chunk.
/// Keeps the bytes of a code unit or surrogate pair that a chunk boundary split.
struct Transcoder {
    let encoding: TextEncoding
    private var pendingByte: UInt8?
    private var pendingHighSurrogate: UInt16?

    init(encoding: TextEncoding) {
        self.encoding = encoding
    }

    /// How many output bytes one input byte can become, at most.
    var maxExpansion: Int {
        switch encoding {
        case .utf8, .utf8BOM: 1
        case .utf16LE, .utf16BE: 2 // 2 bytes → at most 3 (BMP) and a pair of 4 → at most 4.
        case .windows1252: 3
        }
    }

    /// Converts `input` and writes UTF-8 to `output`; returns the bytes written.
    /// `output` must hold `input.count * maxExpansion + 4` bytes.
    mutating func convert(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) -> Int {
        switch encoding {
        case .utf8, .utf8BOM:
            if let base = input.baseAddress { output.copyMemory(from: base, byteCount: input.count) }
            return input.count
        case .windows1252:
            var o = 0
            for b in input {
                o += Transcoder.writeUTF8(Transcoder.windows1252[Int(b)], to: output + o)
            }
            return o
        case .utf16LE, .utf16BE:
            return convertUTF16(input, into: output, littleEndian: encoding == .utf16LE)
        }
    }

    private mutating func convertUTF16(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer, littleEndian: Bool) -> Int {
        var o = 0
        var i = 0
        let n = input.count
        func unit(_ a: UInt8, _ b: UInt8) -> UInt16 {
            littleEndian ? UInt16(a) | UInt16(b) << 8 : UInt16(a) << 8 | UInt16(b)
        }
        var next: UInt16? = nil
        if let p = pendingByte, n > 0 {
            next = unit(p, input[0])
            pendingByte = nil
            i = 1
        }
        while true {
            let u: UInt16
            if let pending = next {
                u = pending
                next = nil
            } else if i + 1 < n {
                u = unit(input[i], input[i + 1])
                i += 2
            } else {
                if i < n { pendingByte = input[i] }
                break
            }
            if let high = pendingHighSurrogate {
                pendingHighSurrogate = nil
                if (0xDC00...0xDFFF).contains(u) {
                    let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(u) - 0xDC00)
                    o += Transcoder.writeUTF8(scalar, to: output + o)
                    continue
                }
                o += Transcoder.writeUTF8(0xFFFD, to: output + o)
            }
            if (0xD800...0xDBFF).contains(u) {
                pendingHighSurrogate = u
            } else if (0xDC00...0xDFFF).contains(u) {
                o += Transcoder.writeUTF8(0xFFFD, to: output + o)
            } else {
                o += Transcoder.writeUTF8(UInt32(u), to: output + o)
            }
        }
        return o
    }

    /// Flushes a dangling half code unit or surrogate at end of file as U+FFFD.
    mutating func finish(into output: UnsafeMutableRawPointer) -> Int {
        var o = 0
        if pendingHighSurrogate != nil || pendingByte != nil {
            o += Transcoder.writeUTF8(0xFFFD, to: output)
        }
        pendingHighSurrogate = nil
        pendingByte = nil
        return o
    }

    @inline(__always)
    static func writeUTF8(_ scalar: UInt32, to p: UnsafeMutableRawPointer) -> Int {
        switch scalar {
        case 0..<0x80:
            p.storeBytes(of: UInt8(scalar), as: UInt8.self)
            return 1
        case 0x80..<0x800:
            p.storeBytes(of: UInt8(0xC0 | scalar >> 6), as: UInt8.self)
            (p + 1).storeBytes(of: UInt8(0x80 | scalar & 0x3F), as: UInt8.self)
            return 2
        case 0x800..<0x10000:
            p.storeBytes(of: UInt8(0xE0 | scalar >> 12), as: UInt8.self)
            (p + 1).storeBytes(of: UInt8(0x80 | (scalar >> 6) & 0x3F), as: UInt8.self)
            (p + 2).storeBytes(of: UInt8(0x80 | scalar & 0x3F), as: UInt8.self)
            return 3
        default:
            p.storeBytes(of: UInt8(0xF0 | scalar >> 18), as: UInt8.self)
            (p + 1).storeBytes(of: UInt8(0x80 | (scalar >> 12) & 0x3F), as: UInt8.self)
            (p + 2).storeBytes(of: UInt8(0x80 | (scalar >> 6) & 0x3F), as: UInt8.self)
            (p + 3).storeBytes(of: UInt8(0x80 | scalar & 0x3F), as: UInt8.self)
            return 4
        }
    }

    /// Windows-1252 to Unicode. 0x80–0x9F differ from Latin-1; the five undefined bytes map to
    /// the C1 controls as Windows itself does.
    static let windows1252: [UInt32] = {
        var t = (0..<256).map { UInt32($0) }
        let high: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
        ]
        for (i, v) in high.enumerated() { t[0x80 + i] = v }
        return t
    }()
}
