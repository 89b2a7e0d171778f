import Foundation
import Testing

@testable import SnowflakeClient

/// End to end against the real fakesnow server that `scripts/test` starts.
@Suite struct FakesnowTests {
    @Test func passwordLoginQueryAndClose() async throws {
        let session = try await SnowflakeSession.connect(try TestEnvironment.fakesnow())
        #expect(session.info.database == "SPARK_CLIENT_TEST")
        #expect(session.info.schema == "PUBLIC")
        let result = try await session.execute("SELECT 1 AS ONE, 'two' AS TWO")
        #expect(result.columns.map(\.name) == ["ONE", "TWO"])
        #expect(result.rows == [[.int(1), .string("two")]])
        #expect(!result.queryId.isEmpty)
        await session.close()
        await #expect(throws: SnowflakeError.self) { try await session.execute("SELECT 1") }
    }

    @Test func programmaticAccessTokenLogin() async throws {
        let session = try await SnowflakeSession.connect(try TestEnvironment.fakesnow(authenticator: .programmaticAccessToken))
        let result = try await session.execute("SELECT CURRENT_DATABASE()")
        #expect(result.rows == [[.string("SPARK_CLIENT_TEST")]])
        await session.close()
    }

    @Test func keyPairLogin() async throws {
        let keys = try KeyPairJWTTests.generatedKeys()
        let file = try TestEnvironment.temporaryDirectory().appendingPathComponent("rsa_key.p8")
        try keys["encrypted"]!.write(to: file, atomically: true, encoding: .utf8)
        var config = try TestEnvironment.fakesnow(authenticator: .keyPair)
        config.privateKeyFile = file.path
        chmod(file.path, 0o644)
        await #expect(throws: SnowflakeError.self, "a key file others can read is refused") { _ = try await SnowflakeSession.connect(config) }
        chmod(file.path, 0o600)
        config.privateKeyFile = file.path
        config.privateKeyPassphrase = "correct horse battery"
        let session = try await SnowflakeSession.connect(config)
        #expect(try await session.execute("SELECT 42").rows == [[.int(42)]])
        await session.close()
    }

    @Test func everySupportedTypeRoundTripsThroughArrow() async throws {
        let session = try await SnowflakeSession.connect(try TestEnvironment.fakesnow())
        let table = TestEnvironment.uniqueName("ALL_TYPES")
        _ = try await session.execute("""
            CREATE TABLE \(table) (ID NUMBER(38,0), AMOUNT NUMBER(12,2), RATIO FLOAT, NAME VARCHAR(100), ACTIVE BOOLEAN,
            DAY DATE, SEEN_AT TIMESTAMP_NTZ(9), PAYLOAD BINARY, CLOCK TIME)
            """)
        let insert = try await session.execute("""
            INSERT INTO \(table) VALUES
            (1, 1234.56, 0.25, 'Ünïcode ✓', TRUE, '2024-02-29', '2024-01-15 13:45:00.123456', TO_BINARY('CAFE', 'HEX'), '01:02:03'),
            (-9007199254740993, -0.01, -1.5e300, '', FALSE, '1969-12-31', '1969-12-31 23:59:59.5', TO_BINARY('', 'HEX'), '23:59:59'),
            (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
            """)
        #expect(insert.rowsAffected == 3)
        let result = try await session.execute("SELECT * FROM \(table) ORDER BY ID NULLS LAST")
        #expect(result.columns.map(\.type) == ["FIXED", "FIXED", "REAL", "TEXT", "BOOLEAN", "DATE", "TIMESTAMP_NTZ", "BINARY", "TIME"])
        #expect(result.columns[1].scale == 2)
        let expected: [[SnowflakeValue?]] = [
            [
                .int(-9_007_199_254_740_993), .decimal(SnowflakeDecimal(text: "-0.01", scale: 2)), .double(-1.5e300),
                .string(""), .bool(false), .date(SnowflakeDate(daysSinceEpoch: -1)),
                .timestampNTZ(SnowflakeTimestamp(epochSeconds: -1, nanoseconds: 500_000_000)), .binary([]),
                .time(nanosecondsSinceMidnight: 86_399_000_000_000),
            ],
            [
                .int(1), .decimal(SnowflakeDecimal(text: "1234.56", scale: 2)), .double(0.25), .string("Ünïcode ✓"),
                .bool(true), .date(SnowflakeDate(daysSinceEpoch: 19782)),
                .timestampNTZ(SnowflakeTimestamp(epochSeconds: 1_705_326_300, nanoseconds: 123_456_000)),
                .binary([0xCA, 0xFE]), .time(nanosecondsSinceMidnight: 3_723_000_000_000),
            ],
            Array(repeating: nil, count: 9),
        ]
        #expect(result.rows.count == 3)
        for (index, (row, want)) in zip(result.rows, expected).enumerated() {
            #expect(row == want, "row \(index)")
        }
        #expect(try await session.execute("UPDATE \(table) SET NAME = 'x' WHERE ID IS NOT NULL").rowsAffected == 2)
        #expect(try await session.execute("DELETE FROM \(table) WHERE ID IS NULL").rowsAffected == 1)
        #expect(try await session.execute("SELECT NAME FROM \(table)").rows == [[.string("x")], [.string("x")]])
        await session.close()
    }

    @Test func wideDecimalsTimestampTZAndVariantThroughArrow() async throws {
        let session = try await SnowflakeSession.connect(try TestEnvironment.fakesnow())
        let table = TestEnvironment.uniqueName("WIDE")
        _ = try await session.execute("CREATE TABLE \(table) (N INT, BIG NUMBER(38,2), TZ TIMESTAMP_TZ, DOC VARIANT)")
        _ = try await session.execute("""
            INSERT INTO \(table) SELECT 1, -123456789012345678901234567890123456.78,
            '2024-01-15 13:45:00.5+01:00'::TIMESTAMP_TZ, PARSE_JSON('{"a": [1, 2]}')
            UNION ALL SELECT 2, NULL, NULL, NULL
            """)
        let result = try await session.execute("SELECT BIG, TZ, DOC FROM \(table) ORDER BY N")
        #expect(result.columns.map(\.type) == ["FIXED", "TIMESTAMP_TZ", "VARIANT"])
        #expect(result.rows == [
            [
                .decimal(SnowflakeDecimal(text: "-123456789012345678901234567890123456.78", scale: 2)),
                // fakesnow keeps TIMESTAMP_TZ in UTC: the instant survives, the +01:00 does not.
                .timestampTZ(SnowflakeTimestamp(epochSeconds: 1_705_322_700, nanoseconds: 500_000_000), offsetMinutes: 0),
                .semiStructured(#"{"a":[1,2]}"#),
            ],
            [nil, nil, nil],
        ])
        await session.close()
    }

    @Test func syntaxErrorIsTypedWithItsCode() async throws {
        let session = try await SnowflakeSession.connect(try TestEnvironment.fakesnow())
        let error = try await #require(throws: SnowflakeError.self) { try await session.execute("SELEC 1 FROM") }
        #expect(error.kind == .query)
        #expect(error.code == "001003")
        #expect(error.sqlState == "42000")
        #expect(error.description.contains("001003"))
        let missing = try await #require(throws: SnowflakeError.self) {
            try await session.execute("SELECT * FROM NO_SUCH_TABLE_\(UUID().uuidString.prefix(6))")
        }
        #expect(missing.code == "002003")
        await session.close()
    }

    @Test func nopRegexesMakeRoleStatementsNoOps() async throws {
        let session = try await SnowflakeSession.connect(try TestEnvironment.fakesnow())
        _ = try await session.execute("CREATE ROLE IF NOT EXISTS SPARK_RW")
        _ = try await session.execute("GRANT USAGE ON DATABASE SPARK_CLIENT_TEST TO ROLE SPARK_RW")
        _ = try await session.execute("ALTER SESSION SET QUERY_TAG = 'spark'")
        await session.close()
    }

    @Test func putGzipListAndCopyInto() async throws {
        let session = try await SnowflakeSession.connect(try TestEnvironment.fakesnow())
        let table = TestEnvironment.uniqueName("LOADED")
        let stage = "\(table)_STAGE"
        _ = try await session.execute("CREATE TABLE \(table) (ID NUMBER, NAME VARCHAR, SPEND NUMBER(10,2))")
        _ = try await session.execute("CREATE STAGE \(stage)")

        // A file gzip'd by Python, uploaded as is.
        let directory = try TestEnvironment.temporaryDirectory()
        let gzipped = directory.appendingPathComponent("wave1.csv.gz").path
        _ = try runPython(
            "import gzip, sys; open(sys.argv[1], 'wb').write(gzip.compress(b'1,alpha,10.50\\n2,beta,0.25\\n3,\"gamma, inc\",7\\n'))",
            arguments: [gzipped])
        let put = try await session.execute("PUT file://\(gzipped) @\(stage)/wave1/")
        #expect(put.columns.map(\.name) == ["source", "target", "source_size", "target_size", "source_compression", "target_compression", "status", "message"])
        #expect(put.rows.first?[1] == .string("wave1.csv.gz"))
        #expect(put.rows.first?[4] == .string("GZIP"))
        #expect(put.rows.first?[6] == .string("UPLOADED"))

        // A plain file: the client compresses it, and asks for a presigned URL for the new name.
        let plain = directory.appendingPathComponent("wave 2.csv")
        try "4,delta,1\n5,epsilon,2\n".write(to: plain, atomically: true, encoding: .utf8)
        let putPlain = try await session.execute("PUT 'file://\(plain.path)' @\(stage)/wave2/")
        #expect(putPlain.rows.first?[1] == .string("wave 2.csv.gz"))
        #expect(putPlain.rows.first?[5] == .string("GZIP"))

        let list = try await session.execute("LIST @\(stage)")
        let names = list.rows.compactMap { $0.first??.description }.sorted()
        #expect(names == ["\(stage.lowercased())/wave1/wave1.csv.gz", "\(stage.lowercased())/wave2/wave 2.csv.gz"])

        let copy = try await session.execute(
            "COPY INTO \(table) (ID, NAME, SPEND) FROM @\(stage)/wave1/ FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '\"')")
        #expect(copy.rowsLoaded == 3)
        let loaded = try await session.execute("SELECT ID, NAME, SPEND FROM \(table) ORDER BY ID")
        #expect(loaded.rows == [
            [.int(1), .string("alpha"), .decimal(SnowflakeDecimal(text: "10.50", scale: 2))],
            [.int(2), .string("beta"), .decimal(SnowflakeDecimal(text: "0.25", scale: 2))],
            [.int(3), .string("gamma, inc"), .decimal(SnowflakeDecimal(text: "7.00", scale: 2))],
        ])
        let copyPlain = try await session.execute("COPY INTO \(table) FROM @\(stage)/wave2/ FILE_FORMAT = (TYPE = CSV)")
        #expect(copyPlain.rowsLoaded == 2)
        #expect(try await session.execute("SELECT COUNT(*) FROM \(table)").rows == [[.int(5)]])
        await session.close()
    }

    /// fakesnow cannot answer a PUT with a pattern (HTTP 500), so patterns are checked without it.
    @Test func putStatementsAreParsedAndPatternsExpanded() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        for name in ["a.csv", "b.csv", "skip.txt"] {
            try "1,x\n".write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let put = try #require(try PutStatement(parsing: "  put file://\(directory.path)/*.csv @S/wave1/ AUTO_COMPRESS = TRUE"))
        #expect(try put.localFiles() == ["a.csv", "b.csv"].map { directory.appendingPathComponent($0).path })
        #expect(put.replacingLocalFile(with: "a.csv.gz") == "PUT file://a.csv.gz @S/wave1/ AUTO_COMPRESS = TRUE")
        let quoted = try #require(try PutStatement(parsing: "PUT 'file:///tmp/with space.csv' @S"))
        #expect(quoted.localPath == "/tmp/with space.csv")
        #expect(quoted.replacingLocalFile(with: "with space.csv.gz") == "PUT 'file://with space.csv.gz' @S")
        #expect(try PutStatement(parsing: "SELECT 'PUT file://x'") == nil)
        #expect(try PutStatement(parsing: "PUTS file://x @S") == nil)
        #expect(throws: SnowflakeError.self) { try PutStatement(parsing: "PUT /tmp/x.csv @S") }
        let none = try #require(try PutStatement(parsing: "PUT file://\(directory.path)/nothing-*.csv @S"))
        #expect(throws: SnowflakeError.self) { try none.localFiles() }
    }

    @Test func localFileSystemUploaderWritesTheStagedBytes() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let source = directory.appendingPathComponent("rows.csv")
        try "a,b\n".write(to: source, atomically: true, encoding: .utf8)
        let staged = try StagedFile.prepare(path: source.path, autoCompress: true, sourceCompression: "auto_detect")
        #expect(staged.destinationName == "rows.csv.gz")
        let stageDirectory = directory.appendingPathComponent("stage/sub").path
        try await LocalFileSystemUploader().upload(staged, to: StageLocation(locationType: "LOCAL_FS", location: stageDirectory))
        let written = try Data(contentsOf: URL(fileURLWithPath: stageDirectory + "/rows.csv.gz"))
        #expect(written == (try Data(contentsOf: URL(fileURLWithPath: staged.uploadPath))))
        #expect(staged.isTemporary && staged.uploadSize == written.count)
        staged.removeTemporaryFile()
        #expect(!FileManager.default.fileExists(atPath: staged.uploadPath))
        #expect(try Gzip.decompress(Array(written)) == Array("a,b\n".utf8))
        // The digest is what Python's hashlib computes for the same bytes.
        let digest = try runPython(
            "import base64, hashlib, sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1], 'rb').read()).digest()).decode())",
            arguments: [stageDirectory + "/rows.csv.gz"])
        #expect(digest.trimmingCharacters(in: .whitespacesAndNewlines) == staged.sha256Digest)
    }
}
