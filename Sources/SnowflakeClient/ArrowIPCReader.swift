// A small reader for the Arrow IPC streaming format, enough for Snowflake result sets.
//
// There is no Arrow package for Swift on this machine, and Snowflake only sends a handful of
// types, so this reads the flatbuffer metadata by hand. Every read is bounds-checked: a corrupt
// answer from the network must throw, never crash.
//
// Format: https://arrow.apache.org/docs/format/Columnar.html#serialization-and-interprocess-communication-ipc

/// The Arrow types this reader understands; anything else is kept as `.unsupported` and
/// rejected only when a value of it is read.
indirect enum ArrowType: Equatable, Sendable {
    case null
    case int(bitWidth: Int, signed: Bool)
    case floatingPoint(bitWidth: Int)
    case binary
    case utf8
    case largeBinary
    case largeUtf8
    case bool
    case decimal(precision: Int, scale: Int, bitWidth: Int)
    case date(unit: DateUnit)
    case time(unit: TimeUnit, bitWidth: Int)
    case timestamp(unit: TimeUnit, timezone: String?)
    case structType
    case fixedSizeBinary(byteWidth: Int)
    case unsupported(typeID: UInt8)

    enum DateUnit: Int16, Sendable { case day = 0, millisecond = 1 }
    enum TimeUnit: Int16, Sendable { case second = 0, millisecond = 1, microsecond = 2, nanosecond = 3 }
}

/// One column of the schema, with its children for struct types.
struct ArrowField: Equatable, Sendable {
    var name: String
    var nullable: Bool
    var type: ArrowType
    var children: [ArrowField]
    /// Snowflake puts `logicalType`, `scale`, `precision` and `charLength` here.
    var metadata: [String: String]
}

/// The values of one column in one record batch. Buffers are ranges into the batch body,
/// so reading a batch copies nothing.
struct ArrowArray: Sendable {
    var field: ArrowField
    var length: Int
    var nullCount: Int
    /// The batch body all buffer ranges point into.
    var body: [UInt8]
    var validity: Range<Int>
    /// The data buffers after the validity bitmap: values, or offsets then bytes.
    var buffers: [Range<Int>]
    var children: [ArrowArray]

    func isNull(_ index: Int) -> Bool {
        if field.type == .null { return true }
        guard nullCount > 0, !validity.isEmpty else { return false }
        let byte = body[validity.lowerBound + index / 8]
        return byte & (1 << UInt8(index % 8)) == 0
    }

    private func load<T: FixedWidthInteger>(_ type: T.Type, buffer: Int, index: Int) throws -> T {
        let size = MemoryLayout<T>.size
        guard buffer < buffers.count else { throw ArrowReadError("buffer \(buffer) missing in column \(field.name)") }
        let range = buffers[buffer]
        let start = range.lowerBound + index * size
        guard index >= 0, start + size <= range.upperBound else {
            throw ArrowReadError("value \(index) outside its buffer in column \(field.name)")
        }
        return body.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: start, as: T.self)) }
    }

    /// A signed integer column's value, widened to 64 bits.
    func integer(at index: Int) throws -> Int64 {
        switch field.type {
        case .int(8, _): return Int64(try load(Int8.self, buffer: 0, index: index))
        case .int(16, _): return Int64(try load(Int16.self, buffer: 0, index: index))
        case .int(32, _), .date(.day), .time(_, 32): return Int64(try load(Int32.self, buffer: 0, index: index))
        case .int(64, _), .date(.millisecond), .time(_, 64), .timestamp:
            return try load(Int64.self, buffer: 0, index: index)
        default: throw ArrowReadError("column \(field.name) of type \(field.type) is not an integer")
        }
    }

    func double(at index: Int) throws -> Double {
        switch field.type {
        case .floatingPoint(64): return Double(bitPattern: try load(UInt64.self, buffer: 0, index: index))
        case .floatingPoint(32): return Double(Float(bitPattern: try load(UInt32.self, buffer: 0, index: index)))
        default: throw ArrowReadError("column \(field.name) of type \(field.type) is not floating point")
        }
    }

    func bool(at index: Int) throws -> Bool {
        guard field.type == .bool, let range = buffers.first, range.lowerBound + index / 8 < range.upperBound else {
            throw ArrowReadError("column \(field.name) is not a readable boolean column")
        }
        return body[range.lowerBound + index / 8] & (1 << UInt8(index % 8)) != 0
    }

    /// The bytes of a binary or string value.
    func bytes(at index: Int) throws -> ArraySlice<UInt8> {
        let start: Int
        let end: Int
        switch field.type {
        case .binary, .utf8:
            start = Int(try load(Int32.self, buffer: 0, index: index))
            end = Int(try load(Int32.self, buffer: 0, index: index + 1))
        case .largeBinary, .largeUtf8:
            start = Int(try load(Int64.self, buffer: 0, index: index))
            end = Int(try load(Int64.self, buffer: 0, index: index + 1))
        case .fixedSizeBinary(let width):
            start = index * width
            end = start + width
            guard buffers.count >= 1, buffers[0].lowerBound + end <= buffers[0].upperBound else {
                throw ArrowReadError("value \(index) outside its buffer in column \(field.name)")
            }
            return body[(buffers[0].lowerBound + start)..<(buffers[0].lowerBound + end)]
        default: throw ArrowReadError("column \(field.name) of type \(field.type) holds no bytes")
        }
        guard buffers.count >= 2, start >= 0, start <= end, buffers[1].lowerBound + end <= buffers[1].upperBound else {
            throw ArrowReadError("value \(index) outside its buffer in column \(field.name)")
        }
        return body[(buffers[1].lowerBound + start)..<(buffers[1].lowerBound + end)]
    }

    func string(at index: Int) throws -> String {
        String(decoding: try bytes(at: index), as: UTF8.self)
    }

    /// A decimal128 value as its two's-complement halves.
    func decimal128(at index: Int) throws -> (high: Int64, low: UInt64) {
        guard case .decimal(_, _, 128) = field.type else {
            throw ArrowReadError("column \(field.name) of type \(field.type) is not decimal128")
        }
        let low = try load(UInt64.self, buffer: 0, index: index * 2)
        let high = try load(Int64.self, buffer: 0, index: index * 2 + 1)
        return (high, low)
    }

    /// The child array with this name, or at this position when the name is absent.
    func child(named name: String, orAt position: Int) -> ArrowArray? {
        children.first { $0.field.name.lowercased() == name } ?? (position < children.count ? children[position] : nil)
    }
}

/// One record batch: equally long columns.
struct ArrowRecordBatch: Sendable {
    var length: Int
    var columns: [ArrowArray]
}

/// A whole IPC stream: its schema and every record batch in order.
struct ArrowStream: Sendable {
    var fields: [ArrowField]
    var batches: [ArrowRecordBatch]
}

struct ArrowReadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = "Arrow IPC: \(description)" }
}

/// Reads Arrow IPC streams (schema message, record batches, end-of-stream marker).
enum ArrowStreamReader {
    static func read(_ bytes: [UInt8]) throws -> ArrowStream {
        var position = 0
        var fields: [ArrowField]?
        var batches: [ArrowRecordBatch] = []
        let reader = ByteReader(bytes)
        while position < bytes.count {
            // Each message: optional 0xFFFFFFFF continuation, int32 metadata length, metadata, body.
            var metadataLength = try reader.int32(at: position)
            position += 4
            if metadataLength == -1 {
                if position + 4 > bytes.count { break }
                metadataLength = try reader.int32(at: position)
                position += 4
            }
            if metadataLength == 0 { break }  // end of stream
            guard metadataLength > 0, position + Int(metadataLength) <= bytes.count else {
                throw ArrowReadError("message metadata runs past the end of the stream")
            }
            let metadata = Array(bytes[position..<(position + Int(metadataLength))])
            position += Int(metadataLength)
            let message = try FlatTable.root(of: metadata)
            let headerType = try message.uint8(1, default: 0)
            let bodyLength = Int(try message.int64(3, default: 0))
            guard bodyLength >= 0, position + bodyLength <= bytes.count else {
                throw ArrowReadError("message body runs past the end of the stream")
            }
            let body = Array(bytes[position..<(position + bodyLength)])
            position += bodyLength
            guard let header = try message.table(2) else { throw ArrowReadError("message without header") }
            switch headerType {
            case 1:  // Schema
                if try header.int16(0, default: 0) != 0 { throw ArrowReadError("big-endian streams are not supported") }
                fields = try header.tables(1).map(readField)
            case 3:  // RecordBatch
                guard let fields else { throw ArrowReadError("record batch before schema") }
                batches.append(try readBatch(header, body: body, fields: fields))
            case 2:
                throw ArrowReadError("dictionary-encoded columns are not supported")
            default:
                throw ArrowReadError("unexpected message type \(headerType)")
            }
        }
        guard let fields else { throw ArrowReadError("stream has no schema") }
        return ArrowStream(fields: fields, batches: batches)
    }

    private static func readField(_ table: FlatTable) throws -> ArrowField {
        let name = try table.string(0) ?? ""
        let nullable = try table.uint8(1, default: 0) != 0
        let typeID = try table.uint8(2, default: 0)
        let typeTable = try table.table(3)
        let type: ArrowType
        switch (typeID, typeTable) {
        case (1, _): type = .null
        case (2, let t?): type = .int(bitWidth: Int(try t.int32(0, default: 0)), signed: try t.uint8(1, default: 0) != 0)
        case (3, let t?):
            let precision = try t.int16(0, default: 0)
            type = .floatingPoint(bitWidth: precision == 2 ? 64 : precision == 1 ? 32 : 16)
        case (4, _): type = .binary
        case (5, _): type = .utf8
        case (6, _): type = .bool
        case (7, let t?):
            type = .decimal(
                precision: Int(try t.int32(0, default: 0)), scale: Int(try t.int32(1, default: 0)),
                bitWidth: Int(try t.int32(2, default: 128)))
        case (8, let t):
            type = .date(unit: ArrowType.DateUnit(rawValue: try t?.int16(0, default: 1) ?? 1) ?? .millisecond)
        case (9, let t):
            type = .time(
                unit: ArrowType.TimeUnit(rawValue: try t?.int16(0, default: 1) ?? 1) ?? .millisecond,
                bitWidth: Int(try t?.int32(1, default: 32) ?? 32))
        case (10, let t?):
            type = .timestamp(unit: ArrowType.TimeUnit(rawValue: try t.int16(0, default: 0)) ?? .second, timezone: try t.string(1))
        case (13, _): type = .structType
        case (15, let t?): type = .fixedSizeBinary(byteWidth: Int(try t.int32(0, default: 0)))
        case (19, _): type = .largeBinary
        case (20, _): type = .largeUtf8
        default: type = .unsupported(typeID: typeID)
        }
        if try table.table(4) != nil {
            throw ArrowReadError("column \(name) is dictionary-encoded, which is not supported")
        }
        var metadata: [String: String] = [:]
        for pair in try table.tables(6) {
            if let key = try pair.string(0) { metadata[key] = try pair.string(1) ?? "" }
        }
        return ArrowField(
            name: name, nullable: nullable, type: type, children: try table.tables(5).map(readField), metadata: metadata)
    }

    private static func readBatch(_ header: FlatTable, body: [UInt8], fields: [ArrowField]) throws -> ArrowRecordBatch {
        if try header.table(3) != nil { throw ArrowReadError("compressed record batches are not supported") }
        let length = Int(try header.int64(0, default: 0))
        guard length >= 0 else { throw ArrowReadError("record batch with a negative length") }
        let nodes = try header.structs(1, size: 16).map { position in
            (length: Int(try header.reader.int64(at: position)), nullCount: Int(try header.reader.int64(at: position + 8)))
        }
        let buffers = try header.structs(2, size: 16).map { position -> Range<Int> in
            let offset = Int(try header.reader.int64(at: position))
            let size = Int(try header.reader.int64(at: position + 8))
            guard offset >= 0, size >= 0, offset + size <= body.count else {
                throw ArrowReadError("buffer runs past the end of the record batch body")
            }
            return offset..<(offset + size)
        }
        var nodeIndex = 0
        var bufferIndex = 0
        func nextArray(_ field: ArrowField) throws -> ArrowArray {
            guard nodeIndex < nodes.count else { throw ArrowReadError("fewer field nodes than fields") }
            let node = nodes[nodeIndex]
            nodeIndex += 1
            let bufferCount: Int
            switch field.type {
            case .null: bufferCount = 0
            case .structType: bufferCount = 1
            case .binary, .utf8, .largeBinary, .largeUtf8: bufferCount = 3
            case .unsupported(let id): throw ArrowReadError("column \(field.name) has unsupported Arrow type id \(id)")
            default: bufferCount = 2
            }
            guard bufferIndex + bufferCount <= buffers.count else { throw ArrowReadError("fewer buffers than fields need") }
            let own = Array(buffers[bufferIndex..<(bufferIndex + bufferCount)])
            bufferIndex += bufferCount
            guard node.length >= 0, node.nullCount >= 0 else {
                throw ArrowReadError("column \(field.name) has a negative length or null count")
            }
            // isNull reads the bitmap unchecked, so its size is checked once here.
            if let validity = own.first, !validity.isEmpty, validity.count < (node.length + 7) / 8 {
                throw ArrowReadError("column \(field.name) has a validity bitmap shorter than its \(node.length) values")
            }
            let children = try field.children.map(nextArray)
            return ArrowArray(
                field: field, length: node.length, nullCount: node.nullCount, body: body,
                validity: own.first ?? 0..<0, buffers: Array(own.dropFirst()), children: children)
        }
        let columns = try fields.map(nextArray)
        for column in columns where column.length != length {
            throw ArrowReadError("column \(column.field.name) has \(column.length) values in a batch of \(length)")
        }
        return ArrowRecordBatch(length: length, columns: columns)
    }
}

/// Bounds-checked little-endian reads from a byte array.
struct ByteReader: Sendable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func load<T: FixedWidthInteger>(_ type: T.Type, at position: Int) throws -> T {
        guard position >= 0, position + MemoryLayout<T>.size <= bytes.count else {
            throw ArrowReadError("read past the end of a flatbuffer")
        }
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: T.self)) }
    }
    func int32(at position: Int) throws -> Int32 { try load(Int32.self, at: position) }
    func int64(at position: Int) throws -> Int64 { try load(Int64.self, at: position) }
}

/// A flatbuffer table: fields are found through the table's vtable by index.
struct FlatTable: Sendable {
    let reader: ByteReader
    let position: Int

    static func root(of bytes: [UInt8]) throws -> FlatTable {
        let reader = ByteReader(bytes)
        return FlatTable(reader: reader, position: Int(try reader.load(UInt32.self, at: 0)))
    }

    /// The absolute position of field `index`, or nil when the field is absent (its default applies).
    func fieldPosition(_ index: Int) throws -> Int? {
        let vtable = position - Int(try reader.int32(at: position))
        let vtableSize = Int(try reader.load(UInt16.self, at: vtable))
        let entry = 4 + index * 2
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try reader.load(UInt16.self, at: vtable + entry))
        return offset == 0 ? nil : position + offset
    }

    func uint8(_ index: Int, default value: UInt8) throws -> UInt8 {
        guard let at = try fieldPosition(index) else { return value }
        return try reader.load(UInt8.self, at: at)
    }
    func int16(_ index: Int, default value: Int16) throws -> Int16 {
        guard let at = try fieldPosition(index) else { return value }
        return try reader.load(Int16.self, at: at)
    }
    func int32(_ index: Int, default value: Int32) throws -> Int32 {
        guard let at = try fieldPosition(index) else { return value }
        return try reader.int32(at: at)
    }
    func int64(_ index: Int, default value: Int64) throws -> Int64 {
        guard let at = try fieldPosition(index) else { return value }
        return try reader.int64(at: at)
    }

    /// Follows the offset stored in field `index`.
    private func target(_ index: Int) throws -> Int? {
        guard let at = try fieldPosition(index) else { return nil }
        return at + Int(try reader.load(UInt32.self, at: at))
    }

    func table(_ index: Int) throws -> FlatTable? {
        guard let at = try target(index) else { return nil }
        return FlatTable(reader: reader, position: at)
    }

    func string(_ index: Int) throws -> String? {
        guard let at = try target(index) else { return nil }
        let length = Int(try reader.load(UInt32.self, at: at))
        guard at + 4 + length <= reader.bytes.count else { throw ArrowReadError("string runs past its flatbuffer") }
        return String(decoding: reader.bytes[(at + 4)..<(at + 4 + length)], as: UTF8.self)
    }

    /// A vector of tables (each element is an offset to a table).
    func tables(_ index: Int) throws -> [FlatTable] {
        guard let at = try target(index) else { return [] }
        let count = Int(try reader.load(UInt32.self, at: at))
        guard at + 4 + count * 4 <= reader.bytes.count else { throw ArrowReadError("vector runs past its flatbuffer") }
        return try (0..<count).map { element in
            let elementPosition = at + 4 + element * 4
            return FlatTable(reader: reader, position: elementPosition + Int(try reader.load(UInt32.self, at: elementPosition)))
        }
    }

    /// The positions of the elements of a vector of fixed-size structs.
    func structs(_ index: Int, size: Int) throws -> [Int] {
        guard let at = try target(index) else { return [] }
        let count = Int(try reader.load(UInt32.self, at: at))
        guard at + 4 + count * size <= reader.bytes.count else { throw ArrowReadError("vector runs past its flatbuffer") }
        return (0..<count).map { at + 4 + $0 * size }
    }
}
