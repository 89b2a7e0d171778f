#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Dispatch
import SparkModel

/// A file read as a stream of UTF-8 bytes through one reusable window, never whole.
///
/// SHA-256 runs over the raw bytes on a second thread while the caller parses the window,
/// so hashing costs no wall time on two cores.
///
/// A UTF-8 reader that does not hash (the parallel scan's) maps its windows from the file
/// instead of reading them: the bytes are parsed straight from the page cache, without the copy
/// `read` makes (about 6 % of spark infer's CPU time). The last window of the file is still
/// read, so the bytes past its end that the value lexer may load always exist.
final class DecodedInput {
    static let defaultCapacity = 4 << 20
    /// The largest window a single record may need before spark gives up on it.
    static let maxCapacity = 32 << 20

    let path: String
    let encoding: TextEncoding
    private(set) var window: UnsafeMutableRawBufferPointer
    /// Valid bytes in `window`.
    private(set) var filled = 0
    private(set) var atEOF = false
    private(set) var rawBytesRead = 0
    /// Decoded bytes dropped before `window[0]`: the absolute offset of the window.
    private(set) var windowOffset = 0
    /// Bytes of byte order mark at the start of the file.
    private(set) var bomLength = 0
    /// False when another thread hashes the file (the parallel scan).
    private var hashing: Bool
    /// Windows are mapped from the file (see ``mapWindows()``); `rawStart` is the file offset of
    /// decoded offset 0 and `mapping` the current map, if any.
    private(set) var mapped = false
    private var rawStart = 0
    private var mapping: (base: UnsafeMutableRawPointer, length: Int)?
    /// The size of a mapped window (it grows like `window` does for a long record).
    private var mappedCapacity = 0
    /// The allocated window (`window` is a view into `mapping` while one is in use).
    private var owned: UnsafeMutableRawBufferPointer

    private let fd: Int32
    private var transcoder: Transcoder
    private var raw: UnsafeMutableRawBufferPointer?
    private let hasher = HashState()
    private let hashQueue = DispatchQueue(label: "spark.sha256")
    private let hashDone = DispatchSemaphore(value: 1)

    init(path: String, capacity: Int = DecodedInput.defaultCapacity, forcedEncoding: TextEncoding? = nil) throws(InferError) {
        self.path = path
        hashing = true
        fd = try DecodedInput.openForReading(path)
        window = DecodedInput.allocateWindow(capacity)
        owned = window
        // Detection needs the first bytes; read them into the window, then decide.
        let n: Int
        do { n = try DecodedInput.readFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: window[0..<min(capacity, 65536)]), path: path) } catch {
            window.deallocate(); close(fd); throw error
        }
        let prefix = UnsafeRawBufferPointer(rebasing: window[0..<n])
        let detected: (TextEncoding, bomLength: Int)
        do { detected = try EncodingDetector.detect(prefix: prefix, path: path) } catch {
            window.deallocate(); close(fd); throw error
        }
        encoding = forcedEncoding ?? detected.0
        transcoder = Transcoder(encoding: encoding)
        hasher.update(prefix)
        rawBytesRead = n
        // readFully stops short only at end of file.
        if n < min(capacity, 65536) { atEOF = true }
        let bom = detected.bomLength
        bomLength = bom
        if transcoder.maxExpansion == 1 {
            window.baseAddress!.copyMemory(from: window.baseAddress! + bom, byteCount: n - bom)
            filled = n - bom
        } else {
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: n, alignment: 16)
            copy.copyMemory(from: UnsafeRawBufferPointer(rebasing: window[bom..<n]))
            filled = transcoder.convert(UnsafeRawBufferPointer(rebasing: copy[0..<(n - bom)]), into: window.baseAddress!)
            copy.deallocate()
        }
    }

    /// A reader of UTF-8 text from raw offset `offset` on, for a later chunk of a parallel scan.
    /// It does not hash and starts empty; the caller refills and finds a record start.
    init(path: String, utf8From offset: Int, capacity: Int = DecodedInput.defaultCapacity, mapped: Bool = true) throws(InferError) {
        self.path = path
        hashing = false
        encoding = .utf8
        transcoder = Transcoder(encoding: .utf8)
        fd = try DecodedInput.openForReading(path)
        lseek(fd, off_t(offset), SEEK_SET)
        // A mapped reader needs memory of its own only for the file's last window.
        window = DecodedInput.allocateWindow(mapped ? 0 : capacity)
        owned = window
        rawStart = offset
        self.mapped = mapped
        mappedCapacity = capacity
    }

    /// Bytes allocated past the window's end, so a field's first 8 bytes can always be loaded as
    /// one word (the value lexer masks off what lies beyond the field).
    static let slack = 16

    /// A window of `capacity` bytes and its slack. Only the slack is zeroed: the window's bytes
    /// past `filled` are never read but by those masked word loads, and zeroing a 4 MiB window
    /// touches every page of it (about 2 ms, which the parallel scan then throws away when it maps
    /// its windows instead).
    static func allocateWindow(_ capacity: Int) -> UnsafeMutableRawBufferPointer {
        let full = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity + slack, alignment: 16)
        UnsafeMutableRawBufferPointer(rebasing: full[capacity...]).initializeMemory(as: UInt8.self, repeating: 0)
        return UnsafeMutableRawBufferPointer(rebasing: full[0..<capacity])
    }

    /// The file's size in bytes.
    var fileSize: Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Offset of the first line feed at or after raw offset `offset`, looking at most `span` bytes
    /// ahead, that `accept` takes: it gets the bytes read and the index just past the line feed.
    func lineFeed(after offset: Int, span: Int = 1 << 20,
                  where accept: (UnsafeRawBufferPointer, Int) -> Bool = { _, _ in true }) -> Int? {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: span, alignment: 16)
        defer { buffer.deallocate() }
        let n = pread(fd, buffer.baseAddress!, span, off_t(offset))
        guard n > 0 else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
        var from = 0
        while let lf = bytes[from...].firstIndex(of: RecordParser.lf) {
            if accept(bytes, lf + 1) { return offset + lf }
            from = lf + 1
        }
        return nil
    }

    private static func openForReading(_ path: String) throws(InferError) -> Int32 {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw InferError(.unreadable, path: path, message: "cannot open the file: \(reason)", hint: "check the path and that you can read the file")
        }
        return fd
    }

    /// Hashes nothing more: the caller hashes the file elsewhere. Call before the first refill.
    func stopHashing() {
        hashing = false
    }

    /// Maps the windows of a UTF-8 file that is hashed elsewhere instead of reading them. Call
    /// after ``stopHashing()`` and before the first refill; other encodings keep reading.
    func mapWindows() {
        guard !hashing, transcoder.maxExpansion == 1, rawBytesRead == filled + bomLength, windowOffset == 0 else { return }
        mapped = true
        rawStart = bomLength
        mappedCapacity = window.count
    }

    /// SHA-256 of a whole file, on the calling thread. The file is mapped 8 MiB at a time
    /// rather than read, which saves copying it out of the page cache.
    static func sha256(path: String, cancelled: () -> Bool = { false }) throws(InferError) -> String {
        let fd = try openForReading(path)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw InferError(.unreadable, path: path, message: "cannot stat the file: \(String(cString: strerror(errno)))", hint: "check the path")
        }
        let size = Int(st.st_size)
        let window = 8 << 20
        let state = HashState()
        var offset = 0
        while offset < size {
            if cancelled() {
                throw InferError(.unreadable, path: path, message: "hashing stopped", hint: "")
            }
            let length = min(window, size - offset)
            guard let map = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, off_t(offset)), map != MAP_FAILED else {
                throw InferError(.unreadable, path: path, message: "cannot map the file: \(String(cString: strerror(errno)))", hint: "check the file and the disk")
            }
            madvise(map, length, MADV_SEQUENTIAL)
            state.update(UnsafeRawBufferPointer(start: map, count: length))
            munmap(map, length)
            offset += length
        }
        return state.hexDigest()
    }

    deinit {
        hashDone.wait()
        hashDone.signal()
        if let mapping { munmap(mapping.base, mapping.length) }
        owned.deallocate()
        raw?.deallocate()
        close(fd)
    }

    /// Keeps `window[keepFrom..<filled]`, moves it to the front, and appends newly decoded bytes.
    /// Returns the number of bytes appended; 0 means end of file.
    @discardableResult
    func refill(keepFrom: Int) throws(InferError) -> Int {
        if atEOF { return 0 }
        if mapped { return try refillMapped(keepFrom: keepFrom) }
        let carry = filled - keepFrom
        // The previous read may still be hashing from the window: wait before overwriting it.
        hashDone.wait()
        hashDone.signal()
        if keepFrom > 0, carry > 0 {
            memmove(window.baseAddress!, window.baseAddress! + keepFrom, carry)
        }
        windowOffset += keepFrom
        filled = carry
        while window.count - carry < max(window.count / 4, 64) { try grow() }
        let room = window.count - filled
        if transcoder.maxExpansion == 1 {
            let target = UnsafeMutableRawBufferPointer(rebasing: window[filled..<(filled + room)])
            let n = try DecodedInput.readFully(fd, into: target, path: path)
            hashAsync(UnsafeRawBufferPointer(rebasing: target[0..<n]))
            rawBytesRead += n
            filled += n
            if n == 0 { atEOF = true }
            return n
        }
        let rawCapacity = (room - 8) / (transcoder.maxExpansion + 1)
        if raw == nil || raw!.count < rawCapacity {
            raw?.deallocate()
            raw = .allocate(byteCount: rawCapacity, alignment: 16)
        }
        let target = UnsafeMutableRawBufferPointer(rebasing: raw![0..<rawCapacity])
        let n = try DecodedInput.readFully(fd, into: target, path: path)
        let chunk = UnsafeRawBufferPointer(rebasing: target[0..<n])
        hashAsync(chunk)
        rawBytesRead += n
        var written = transcoder.convert(chunk, into: window.baseAddress! + filled)
        if n == 0 {
            atEOF = true
            written += transcoder.finish(into: window.baseAddress! + filled)
        }
        filled += written
        // Transcoding reads the raw chunk synchronously; the hash must finish before the next read reuses it.
        return n == 0 ? written : max(written, 1)
    }

    /// The SHA-256 of every byte read, once the file has been read to the end.
    func finishHash() -> String {
        hashDone.wait()
        hashDone.signal()
        return hasher.hexDigest()
    }

    /// ``refill(keepFrom:)`` for mapped windows: the new window starts at `keepFrom` and is
    /// mapped from the file, or, for the file's last bytes, read into the allocated window.
    private func refillMapped(keepFrom: Int) throws(InferError) -> Int {
        let carry = filled - keepFrom
        var capacity = mappedCapacity
        while capacity - carry < max(capacity / 4, 64) { capacity = try DecodedInput.grown(capacity, path: path) }
        mappedCapacity = capacity
        let start = rawStart + windowOffset + keepFrom
        let remaining = max(fileSize - start, 0)
        let previous = mapping
        mapping = nil
        defer { if let previous { munmap(previous.base, previous.length) } }
        windowOffset += keepFrom
        if remaining <= capacity + DecodedInput.slack {
            // The end of the file: read it, so the slack after it is real memory.
            if owned.count < max(capacity, remaining) {
                owned.deallocate()
                owned = DecodedInput.allocateWindow(max(capacity, remaining))
            }
            let n = try DecodedInput.readFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: owned[0..<remaining]), path: path, at: start)
            window = owned
            filled = n
            atEOF = true
            rawBytesRead += n - carry
            return n - carry
        }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let aligned = start / page * page
        let length = start - aligned + capacity + DecodedInput.slack
        guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, off_t(aligned)), base != MAP_FAILED else {
            throw InferError(.unreadable, path: path, message: "cannot map the file: \(String(cString: strerror(errno)))", hint: "check the file and the disk")
        }
        madvise(base, length, MADV_SEQUENTIAL)
        mapping = (base, length)
        window = UnsafeMutableRawBufferPointer(start: base + (start - aligned), count: capacity)
        if owned.count > 0 {
            // The first window's bytes (the sniffed prefix) are no longer needed.
            owned.deallocate()
            owned = DecodedInput.allocateWindow(0)
        }
        filled = capacity
        rawBytesRead += capacity - carry
        ReadProgress.add(capacity - carry)
        return capacity - carry
    }

    /// The largest record spark reads, in MB: a refill keeps a quarter of the window free, so a
    /// record may fill three quarters of the largest one.
    static let maxRecordMegabytes = (maxCapacity * 3 / 4) >> 20

    /// Twice `size`, or the error for a record that does not fit the largest window.
    private static func grown(_ size: Int, path: String) throws(InferError) -> Int {
        let newSize = size * 2
        guard newSize <= DecodedInput.maxCapacity else {
            throw InferError(.recordTooLarge, path: path, message: "a single record is larger than \(maxRecordMegabytes) MB",
                             hint: "check for a quote that is never closed, or split the file")
        }
        return newSize
    }

    /// Reads on until the window holds at least `records` line feeds after the start, the file
    /// ends, or the window is as large as a record may be: the dialect sniffer needs whole
    /// records, and a wide header (10,000 columns) can be longer than the first read.
    func extendSample(lineFeeds records: Int) throws(InferError) {
        func enough() -> Bool {
            var count = 0
            for b in UnsafeRawBufferPointer(rebasing: window[0..<filled]) where b == RecordParser.lf {
                count += 1
                if count >= records { return true }
            }
            return false
        }
        while !atEOF && !enough() && filled < DecodedInput.maxCapacity / 2 {
            try refill(keepFrom: 0)
        }
    }

    private func grow() throws(InferError) {
        let newSize = try DecodedInput.grown(window.count, path: path)
        let bigger = DecodedInput.allocateWindow(newSize)
        bigger.baseAddress!.copyMemory(from: window.baseAddress!, byteCount: filled)
        window.deallocate()
        window = bigger
        owned = bigger
    }

    private func hashAsync(_ bytes: UnsafeRawBufferPointer) {
        guard hashing, bytes.count > 0 else { return }
        hashDone.wait()
        let chunk = UncheckedBytes(bytes: bytes)
        let hasher = self.hasher
        let done = hashDone
        hashQueue.async {
            hasher.update(chunk.bytes)
            done.signal()
        }
    }

    /// Reads until `buffer` is full or the file ends, from the file position or from `offset`.
    private static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String, at offset: Int? = nil) throws(InferError) -> Int {
        var total = 0
        while total < buffer.count {
            let n = offset.map { pread(fd, buffer.baseAddress! + total, buffer.count - total, off_t($0 + total)) }
                ?? read(fd, buffer.baseAddress! + total, buffer.count - total)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw InferError(.unreadable, path: path, message: "read failed: \(reason)", hint: "check the file and the disk")
            }
            if n == 0 { break }
            total += n
        }
        ReadProgress.add(total)
        return total
    }
}

/// Bytes handed to the hashing thread; the window is not touched until the hash signals.
private struct UncheckedBytes: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}

private final class HashState: @unchecked Sendable {
    private var sha = SHA256()

    func update(_ bytes: UnsafeRawBufferPointer) {
        sha.update(bufferPointer: bytes)
    }

    func hexDigest() -> String {
        sha.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
