import SparkModel

/// Decides a file's encoding from its first bytes and rejects files that are not text.
enum EncodingDetector {
    /// The encoding and the number of BOM bytes to skip.
    static func detect(prefix: UnsafeRawBufferPointer, path: String) throws(InferError) -> (TextEncoding, bomLength: Int) {
        let b = Array(prefix.prefix(8192))
        if b.isEmpty {
            throw InferError(.empty, path: path, message: "the file is empty", hint: "export the report again; a CSV needs at least a header line")
        }
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8BOM, 3) }
        if b.starts(with: [0xFF, 0xFE]) { return (.utf16LE, 2) }
        if b.starts(with: [0xFE, 0xFF]) { return (.utf16BE, 2) }
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw InferError(.binary, path: path, line: 1, message: "this is a ZIP archive (an .xlsx workbook renamed to .csv?), not a CSV file",
                             hint: "open it in a spreadsheet and save it as CSV (UTF-8), or export CSV from the ad platform")
        }
        // UTF-16 without a BOM shows up as every other byte being NUL.
        if b.count >= 4 {
            let pairs = b.count / 2
            var evenNul = 0, oddNul = 0
            for i in 0..<pairs {
                if b[2 * i] == 0 { evenNul += 1 }
                if b[2 * i + 1] == 0 { oddNul += 1 }
            }
            if oddNul * 10 >= pairs * 9 && evenNul == 0 { return (.utf16LE, 0) }
            if evenNul * 10 >= pairs * 9 && oddNul == 0 { return (.utf16BE, 0) }
        }
        try rejectBinary(b, path: path)
        return (.utf8, 0)
    }

    /// Text files have no NUL bytes and few control characters.
    static func rejectBinary(_ b: [UInt8], path: String) throws(InferError) {
        var control = 0
        for (i, byte) in b.enumerated() {
            if byte == 0 {
                throw InferError(.binary, path: path, line: lineOf(offset: i, in: b), message: "the file contains NUL bytes: it is binary, not a CSV file",
                                 hint: "export the report as CSV text (UTF-8 or UTF-16 with BOM)")
            }
            if byte < 0x09 || (byte > 0x0D && byte < 0x20 && byte != 0x1B) { control += 1 }
        }
        if control * 100 > b.count {
            throw InferError(.binary, path: path, message: "the file is mostly control characters: it is binary, not a CSV file",
                             hint: "export the report as CSV text (UTF-8 or UTF-16 with BOM)")
        }
    }

    private static func lineOf(offset: Int, in b: [UInt8]) -> Int {
        1 + b[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}
