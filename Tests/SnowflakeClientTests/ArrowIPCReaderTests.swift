import Foundation
import Testing

@testable import SnowflakeClient

/// Streams written by pyarrow, read by our own Arrow reader.
@Suite struct ArrowIPCReaderTests {
    static let writer = #"""
        import base64, datetime, decimal, sys
        import pyarrow as pa

        def meta(logical, scale=0):
            return {"logicalType": logical, "scale": str(scale), "precision": "38", "charLength": "0"}

        ts = pa.struct([pa.field("epoch", pa.int64(), nullable=False), pa.field("fraction", pa.int32(), nullable=False)])
        tstz = pa.struct([pa.field("epoch", pa.int64(), nullable=False), pa.field("fraction", pa.int32(), nullable=False),
                          pa.field("timezone", pa.int32(), nullable=False)])
        columns = [
            ("I8", pa.array([-128, None, 127], pa.int8()), meta("FIXED")),
            ("I16", pa.array([-32768, None, 32767], pa.int16()), meta("FIXED")),
            ("I32", pa.array([-2147483648, None, 2147483647], pa.int32()), meta("FIXED")),
            ("I64", pa.array([-9223372036854775808, None, 9223372036854775807], pa.int64()), meta("FIXED")),
            ("SCALED", pa.array([12345, None, -5], pa.int64()), meta("FIXED", 2)),
            ("DEC", pa.array([decimal.Decimal("-12345678901234567890123.456"), None, decimal.Decimal("0.001")],
                             pa.decimal128(38, 3)), meta("FIXED", 3)),
            ("F64", pa.array([1.5, None, -0.25], pa.float64()), meta("REAL")),
            ("S", pa.array(["héllo", None, ""], pa.string()), meta("TEXT")),
            ("B", pa.array([b"\x00\xff", None, b""], pa.binary()), meta("BINARY")),
            ("BOOL", pa.array([True, None, False], pa.bool_()), meta("BOOLEAN")),
            ("D", pa.array([datetime.date(1970, 1, 1), None, datetime.date(2024, 2, 29)], pa.date32()), meta("DATE")),
            ("T", pa.array([3723000000001, None, 0], pa.int64()), meta("TIME", 9)),
            ("NTZ", pa.StructArray.from_arrays([pa.array([0, 0, 1700000000], pa.int64()), pa.array([0, 0, 123456789], pa.int32())],
                                               fields=list(ts), mask=pa.array([False, True, False])), meta("TIMESTAMP_NTZ", 9)),
            ("TZ", pa.StructArray.from_arrays([pa.array([1700000000, 0, -1], pa.int64()), pa.array([5, 0, 500000000], pa.int32()),
                                               pa.array([1440 + 60, 1440, 1440 - 330], pa.int32())],
                                              fields=list(tstz), mask=pa.array([False, True, False])), meta("TIMESTAMP_TZ", 9)),
        ]
        schema = pa.schema([pa.field(name, array.type, metadata=m) for name, array, m in columns])
        table = pa.Table.from_arrays([array for _, array, _ in columns], schema=schema)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, schema) as writer:
            writer.write_table(table, max_chunksize=int(sys.argv[1]))
        print(base64.b64encode(sink.getvalue().to_pybytes()).decode())
        """#

    static func columns(of stream: ArrowStream) -> [ColumnMetadata] {
        stream.fields.map {
            ColumnMetadata(name: $0.name, type: $0.metadata["logicalType"] ?? "TEXT", scale: Int($0.metadata["scale"] ?? "0"))
        }
    }

    @Test(arguments: [3, 2, 1])
    func readsEverySupportedTypeWrittenByPyarrow(batchSize: Int) throws {
        let base64 = try runPython(Self.writer, arguments: [String(batchSize)]).trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes = try #require(Data(base64Encoded: base64))
        let stream = try ArrowStreamReader.read(Array(bytes))
        #expect(stream.batches.count == (3 + batchSize - 1) / batchSize)
        let rows = try ResultDecoding.arrowRows(stream, columns: Self.columns(of: stream))
        #expect(rows.count == 3)
        let expected: [[SnowflakeValue?]] = [
            [
                .int(-128), .int(-32768), .int(-2_147_483_648), .int(.min),
                .decimal(SnowflakeDecimal(text: "123.45", scale: 2)),
                .decimal(SnowflakeDecimal(text: "-12345678901234567890123.456", scale: 3)), .double(1.5),
                .string("héllo"), .binary([0x00, 0xFF]), .bool(true), .date(SnowflakeDate(daysSinceEpoch: 0)),
                .time(nanosecondsSinceMidnight: 3_723_000_000_001),
                .timestampNTZ(SnowflakeTimestamp(epochSeconds: 0, nanoseconds: 0)),
                .timestampTZ(SnowflakeTimestamp(epochSeconds: 1_700_000_000, nanoseconds: 5), offsetMinutes: 60),
            ],
            Array(repeating: nil, count: 14),
            [
                .int(127), .int(32767), .int(2_147_483_647), .int(.max),
                .decimal(SnowflakeDecimal(text: "-0.05", scale: 2)), .decimal(SnowflakeDecimal(text: "0.001", scale: 3)),
                .double(-0.25), .string(""), .binary([]), .bool(false), .date(SnowflakeDate(daysSinceEpoch: 19782)),
                .time(nanosecondsSinceMidnight: 0),
                .timestampNTZ(SnowflakeTimestamp(epochSeconds: 1_700_000_000, nanoseconds: 123_456_789)),
                .timestampTZ(SnowflakeTimestamp(epochSeconds: -1, nanoseconds: 500_000_000), offsetMinutes: -330),
            ],
        ]
        for (index, (row, want)) in zip(rows, expected).enumerated() {
            #expect(row == want, "row \(index)")
        }
        #expect(rows[2][10]?.description == "2024-02-29")
        #expect(rows[2][12]?.description == "2023-11-14 22:13:20.123456789")
        #expect(rows[0][11]?.description == "01:02:03.000000001")
    }

    @Test func rejectsTruncatedAndCorruptedStreamsWithoutCrashing() throws {
        let base64 = try runPython(Self.writer, arguments: ["3"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes = Array(try #require(Data(base64Encoded: base64)))
        for cut in stride(from: 8, to: bytes.count - 8, by: 97) {
            // Every prefix must either throw or decode; it must never trap.
            if let stream = try? ArrowStreamReader.read(Array(bytes.prefix(cut))) {
                _ = try? ResultDecoding.arrowRows(stream, columns: Self.columns(of: stream))
            }
        }
        // Corrupted bytes, deterministically spread over metadata and body, must not trap either.
        for mutation in 0..<6000 {
            var corrupted = bytes
            corrupted[(mutation * 7919) % corrupted.count] = UInt8(truncatingIfNeeded: mutation * 31 + 1)
            if mutation % 2 == 0 { corrupted[(mutation * 104_729 + 13) % corrupted.count] ^= 0x80 }
            if let stream = try? ArrowStreamReader.read(corrupted),
                let rows = try? ResultDecoding.arrowRows(stream, columns: Self.columns(of: stream))
            {
                _ = rows.map { $0.map { $0?.description } }
            }
        }
        #expect(throws: ArrowReadError.self) { try ArrowStreamReader.read([0xFF, 0xFF, 0xFF, 0xFF, 0x40, 0, 0, 0, 1, 2]) }
    }

    @Test func formatsDecimal128Extremes() {
        // 10^38 - 1 and its negation, the widest NUMBER(38, s).
        let max = ResultDecoding.decimal128(high: 0x4B3B_4CA8_5A86_C47A, low: 0x098A_223F_FFFF_FFFF, scale: 0)
        #expect(max.text == String(repeating: "9", count: 38))
        let negative = ResultDecoding.decimal128(high: -1, low: UInt64.max, scale: 2)
        #expect(negative.text == "-0.01")
        #expect(ResultDecoding.decimal128(high: 0, low: 0, scale: 3).text == "0.000")
    }
}
