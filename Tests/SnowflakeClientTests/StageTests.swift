import Crypto
import _CryptoExtras
import Foundation
import Logging
import Testing

@testable import SnowflakeClient

/// Uploads to and downloads from real stages: SigV4 against AWS's published vectors, S3 against moto's
/// server, Azure and GCS against a recording stand-in, and every encrypted object decrypted by
/// snowflake-connector-python's own `SnowflakeEncryptionUtil.decrypt_file`.
@Suite struct StageTests {
    // MARK: SigV4

    /// AWS's aws-sig-v4-test-suite (AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service").
    @Test func sigV4MatchesTheAWSTestSuite() {
        let signer = SigV4Signer(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: nil,
            region: "us-east-1", service: "service")
        let date = Date(timeIntervalSince1970: 1_440_938_160)
        let vanilla = signer.sign(method: "GET", host: "example.amazonaws.com", path: "/", payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(vanilla.canonicalRequest == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(vanilla.stringToSign == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
        #expect(vanilla.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        let post = signer.sign(method: "POST", host: "example.amazonaws.com", path: "/", payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(post.signature == "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
        let ordered = signer.sign(
            method: "GET", host: "example.amazonaws.com", path: "/", query: [("Param2", "value2"), ("Param1", "value1")],
            payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(ordered.signature == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    /// The S3 examples of AWS's "Signature Calculations for the Authorization Header" (examplebucket, 2013-05-24).
    @Test func sigV4MatchesTheAWSS3Examples() {
        let signer = SigV4Signer(
            accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: nil,
            region: "us-east-1", service: "s3")
        let date = Date(timeIntervalSince1970: 1_369_353_600)
        let empty = SigV4Signer.emptyPayloadHash
        let range = signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt",
            headers: [("range", "bytes=0-9"), ("x-amz-content-sha256", empty)], payloadHash: empty, date: date)
        #expect(range.authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        let bodyHash = SigV4Signer.hex(SHA256.hash(data: Data("Welcome to Amazon S3.".utf8)))
        #expect(bodyHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let put = signer.sign(
            method: "PUT", host: "examplebucket.s3.amazonaws.com", path: "/test$file.text",
            headers: [("date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"), ("x-amz-content-sha256", bodyHash)],
            payloadHash: bodyHash, date: date)
        #expect(put.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
        let lifecycle = signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/", query: [("lifecycle", "")],
            headers: [("x-amz-content-sha256", empty)], payloadHash: empty, date: date)
        #expect(lifecycle.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
        let list = signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/", query: [("max-keys", "2"), ("prefix", "J")],
            headers: [("x-amz-content-sha256", empty)], payloadHash: empty, date: date)
        #expect(list.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    /// botocore (installed with moto) signs the same request with a session token the same way.
    @Test func sigV4WithASessionTokenMatchesBotocore() throws {
        let signer = SigV4Signer(
            accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/key+value", sessionToken: "session token//value=",
            region: "eu-west-1", service: "s3")
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let hash = SigV4Signer.hex(SHA256.hash(data: Data("body".utf8)))
        let signed = signer.sign(
            method: "PUT", host: "bucket.s3.eu-west-1.amazonaws.com", path: "/stage/a file+1.csv.gz", query: [("partNumber", "2"), ("uploadId", "u/1")],
            headers: [("x-amz-content-sha256", hash), ("x-amz-meta-sfc-digest", "abc=")], payloadHash: hash, date: date)
        let expected = try runPython(#"""
            import datetime, sys
            from botocore.auth import S3SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            import botocore.auth
            class Fixed(datetime.datetime):
                @classmethod
                def now(cls, tz=None): return datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=tz)
                @classmethod
                def utcnow(cls): return datetime.datetime(2023, 11, 14, 22, 13, 20)
            botocore.auth.datetime.datetime = Fixed
            r = AWSRequest(method="PUT", url="https://bucket.s3.eu-west-1.amazonaws.com/stage/a%20file%2B1.csv.gz?partNumber=2&uploadId=u%2F1", data=b"body",
                           headers={"x-amz-meta-sfc-digest": "abc="})
            S3SigV4Auth(Credentials("ASIAEXAMPLE", "secret/key+value", "session token//value="), "s3", "eu-west-1").add_auth(r)
            print(r.headers["Authorization"])
            """#)
        #expect(signed.authorization == expected.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    // MARK: Encryption

    @Test func chunkedEncryptionEqualsOneShotAndDecryptsBack() throws {
        let material = try StageEncryptionMaterial(Self.material(keyBytes: 16))
        let key = (0..<16).map { UInt8($0 * 7 % 256) }, iv = (0..<16).map { UInt8(255 - $0) }
        let plain = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var whole = try FileEncryptor(material: material, fileKey: key, iv: iv)
        let oneShot = try whole.encrypt(plain, last: true)
        var chunked = try FileEncryptor(material: material, fileKey: key, iv: iv)
        var pieces: [UInt8] = []
        for start in stride(from: 0, to: plain.count, by: 4096) {
            let end = min(start + 4096, plain.count)
            pieces += try chunked.encrypt(Array(plain[start..<end]), last: end == plain.count)
        }
        #expect(pieces == oneShot)
        #expect(oneShot.count == FileEncryptor.encryptedSize(plain.count))
        // swift-crypto's own AES-CBC with PKCS#7 padding gives the same bytes.
        let library = try AES._CBC.encrypt(plain, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv))
        #expect(Array(library) == oneShot)
        // Whole-block plaintexts get a full padding block.
        var aligned = try FileEncryptor(material: material, fileKey: key, iv: iv)
        let alignedOut = try aligned.encrypt(Array(plain[..<4096]), last: true)
        #expect(alignedOut == Array(try AES._CBC.encrypt(plain[..<4096], using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv))))
        #expect(alignedOut.count == 4096 + 16)
        #expect(chunked.metadata.matdesc == #"{"queryId":"q-stage-1","smkId":"4242","keySize":"128"}"#)
        var decryptor = try FileDecryptor(metadata: chunked.metadata, material: material)
        var back: [UInt8] = []
        for start in stride(from: 0, to: oneShot.count, by: 1000) { back += try decryptor.decrypt(Array(oneShot[start..<min(start + 1000, oneShot.count)])) }
        back += try decryptor.finish()
        #expect(back == plain)
        // A different master key cannot unwrap the file key.
        let other = try StageEncryptionMaterial(Self.material(keyBytes: 16))
        #expect(throws: SnowflakeError.self) { _ = try FileDecryptor(metadata: chunked.metadata, material: other) }
    }

    // MARK: S3 against moto

    @Test(arguments: [(1_000_000, 16), (12 << 20, 32)])
    func s3UploadToMotoDecryptsWithTheConnector(size: Int, keyBytes: Int) async throws {
        let location = try await Self.motoStage(keyBytes: keyBytes)
        let directory = try TestEnvironment.temporaryDirectory()
        let source = try Self.writeFile(directory.appendingPathComponent("wave.csv.gz"), size: size)
        let staged = try StagedFile.prepare(path: source.path, autoCompress: true, sourceCompression: "auto_detect")
        #expect(!staged.isTemporary)
        let transport = Self.transport()
        let s3 = S3Stage(transport: transport, sizes: StageTransferSizes(multipartThreshold: 6 << 20, partSize: 5 << 20))
        try await s3.upload(staged, to: location)

        let object = directory.appendingPathComponent("object.bin")
        let stage = StagePath(location.location)
        let metadataJSON = try runPython(#"""
            import boto3, json, sys
            s3 = boto3.client("s3", endpoint_url=sys.argv[1], aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1")
            o = s3.get_object(Bucket=sys.argv[2], Key=sys.argv[3])
            open(sys.argv[4], "wb").write(o["Body"].read())
            print(json.dumps(o["Metadata"]))
            """#, arguments: [location.endpoint!, stage.bucket, stage.key("wave.csv.gz"), object.path])
        let metadata = try #require(try JSONSerialization.jsonObject(with: Data(metadataJSON.utf8)) as? [String: String])
        #expect(metadata["sfc-digest"] == staged.sha256Digest)
        #expect(metadata["sfc-digest"] == Data(SHA256.hash(data: try Data(contentsOf: source))).base64EncodedString())
        let matdesc = try #require(metadata["x-amz-matdesc"])
        #expect(matdesc == #"{"queryId":"q-stage-1","smkId":"4242","keySize":"\#(keyBytes * 8)"}"#)
        let stored = try Data(contentsOf: object)
        #expect(stored.count == FileEncryptor.encryptedSize(size))
        #expect(stored.prefix(4096) != (try Data(contentsOf: source)).prefix(4096))
        let decrypted = try Self.connectorDecrypt(
            object.path, key: try #require(metadata["x-amz-key"]), iv: try #require(metadata["x-amz-iv"]), matdesc: matdesc,
            masterKey: location.encryptionMaterial!["queryStageMasterKey"]!)
        #expect(decrypted == (try Data(contentsOf: source)))

        // And back with GET's own path: decrypted, digest checked.
        let back = directory.appendingPathComponent("back/wave.csv.gz").path
        let written = try await s3.download("wave.csv.gz", from: location, material: location.encryptionMaterial, to: back)
        #expect(written == size)
        #expect(try Data(contentsOf: URL(fileURLWithPath: back)) == (try Data(contentsOf: source)))
    }

    @Test func putAndGetThroughASessionAgainstMoto() async throws {
        let location = try await Self.motoStage(keyBytes: 16)
        let server = try StageServer()
        defer { server.stop() }
        let stageInfo: [String: Any] = [
            "locationType": "S3", "location": location.location, "region": "us-east-1", "endPoint": location.endpoint!,
            "creds": location.credentials,
        ]
        let material = location.encryptionMaterial!
        try server.setAnswers(
            put: [["command": "UPLOAD", "queryId": "q-put", "autoCompress": true, "sourceCompression": "auto_detect",
                   "stageInfo": stageInfo, "encryptionMaterial": material]],
            get: [["command": "DOWNLOAD", "queryId": "q-get", "src_locations": ["rows.csv.gz"], "stageInfo": stageInfo,
                   "encryptionMaterial": [material]]])
        let directory = try TestEnvironment.temporaryDirectory()
        let source = directory.appendingPathComponent("rows.csv")
        let text = (0..<20_000).map { "\($0),name \($0),\($0 % 97).25\n" }.joined()
        try text.write(to: source, atomically: true, encoding: .utf8)
        let session = try await SnowflakeSession.connect(server.config())
        let put = try await session.execute("PUT file://\(source.path) @MY_STAGE")
        #expect(put.rows.first?[1] == .string("rows.csv.gz"))
        #expect(put.rows.first?[5] == .string("GZIP"))
        #expect(put.rows.first?[6] == .string("UPLOADED"))
        let get = try await session.execute("GET @MY_STAGE/rows.csv.gz 'file://\(directory.path)/back'")
        #expect(get.rows.first?[2] == .string("DOWNLOADED"))
        let back = try Data(contentsOf: directory.appendingPathComponent("back/rows.csv.gz"))
        #expect(try Gzip.decompress(Array(back)) == Array(text.utf8))
        await session.close()
        // No temporary gzip left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.contains("rows.csv.gz") && $0.hasPrefix("snowflake-put-") }
        #expect(leftovers.isEmpty)
    }

    // MARK: Expiry, Azure and GCS against the recording stand-in

    @Test func anExpiredS3TokenReissuesThePut() async throws {
        let server = try StageServer()
        defer { server.stop() }
        let material = Self.material(keyBytes: 16)
        func answer(_ token: String) -> [String: Any] {
            ["command": "UPLOAD", "queryId": "q-\(token)", "autoCompress": true, "sourceCompression": "auto_detect",
             "stageInfo": ["locationType": "S3", "location": "bucket/stage/", "region": "us-east-1", "endPoint": server.storageURL,
                           "creds": ["AWS_KEY_ID": "AKIDSTAGE", "AWS_SECRET_KEY": "stage-secret-key-value", "AWS_TOKEN": token]],
             "encryptionMaterial": material]
        }
        try server.setAnswers(put: [answer("expired-token"), answer("fresh-token")])
        let directory = try TestEnvironment.temporaryDirectory()
        let source = try Self.writeFile(directory.appendingPathComponent("a.csv.gz"), size: 70_000)
        let session = try await SnowflakeSession.connect(server.config())
        let put = try await session.execute("PUT file://\(source.path) @S")
        #expect(put.rows.first?[6] == .string("UPLOADED"))
        #expect(try server.statementCounts()["PUT"] == 2)
        let requests = try server.storageRequests()
        #expect(requests.count == 2)
        #expect(requests.first?["expired"] as? Bool == true)
        let accepted = try #require(requests.last)
        #expect(accepted["path"] as? String == "/storage/bucket/stage/a.csv.gz")
        let headers = try #require(accepted["headers"] as? [String: String])
        #expect(headers["x-amz-security-token"] == "fresh-token")
        #expect(headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDSTAGE/") == true)
        #expect(headers["authorization"]?.contains("x-amz-security-token") == true)
        let decrypted = try Self.connectorDecrypt(
            try #require(accepted["body_file"] as? String), key: try #require(headers["x-amz-meta-x-amz-key"]),
            iv: try #require(headers["x-amz-meta-x-amz-iv"]), matdesc: try #require(headers["x-amz-meta-x-amz-matdesc"]),
            masterKey: material["queryStageMasterKey"]!)
        #expect(decrypted == (try Data(contentsOf: source)))
        await session.close()
    }

    @Test(arguments: [false, true])
    func azureUploadCarriesTheMetadataAndDecrypts(inBlocks: Bool) async throws {
        let server = try StageServer()
        defer { server.stop() }
        let material = Self.material(keyBytes: 16)
        try server.setAnswers(put: [
            ["command": "UPLOAD", "queryId": "q-azure", "autoCompress": true, "sourceCompression": "auto_detect",
             "stageInfo": ["locationType": "AZURE", "location": "container/stage dir", "storageAccount": "acct",
                           "endPoint": server.storageURL, "creds": ["AZURE_SAS_TOKEN": "?sv=2020&sig=expired-token"]],
             "encryptionMaterial": material],
            ["command": "UPLOAD", "queryId": "q-azure2", "autoCompress": true, "sourceCompression": "auto_detect",
             "stageInfo": ["locationType": "AZURE", "location": "container/stage dir", "storageAccount": "acct",
                           "endPoint": server.storageURL, "creds": ["AZURE_SAS_TOKEN": "?sv=2020&sig=fresh-sas"]],
             "encryptionMaterial": material],
        ])
        let directory = try TestEnvironment.temporaryDirectory()
        let size = inBlocks ? 2_500_000 : 300_000
        let source = try Self.writeFile(directory.appendingPathComponent("b.csv.gz"), size: size)
        let session = try await SnowflakeSession.connect(server.config())
        if inBlocks { await session.setTransferSizes(StageTransferSizes(multipartThreshold: 1 << 20, partSize: 1 << 20)) }
        _ = try await session.execute("PUT file://\(source.path) @S")
        let requests = try server.storageRequests().filter { $0["expired"] as? Bool == false }
        let path = "/storage/acct/container/stage dir/b.csv.gz"
        #expect(requests.allSatisfy { $0["path"] as? String == path })
        let final = try #require(requests.last)
        let headers = try #require(final["headers"] as? [String: String])
        #expect(headers["x-ms-meta-sfcdigest"] == Data(SHA256.hash(data: try Data(contentsOf: source))).base64EncodedString())
        let encryptionData = try #require(headers["x-ms-meta-encryptiondata"])
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(encryptionData.utf8)) as? [String: Any])
        let wrapped = try #require((fields["WrappedContentKey"] as? [String: Any])?["EncryptedKey"] as? String)
        let iv = try #require(fields["ContentEncryptionIV"] as? String)
        let body: String
        if inBlocks {
            #expect((final["query"] as? [String: String])?["comp"] == "blocklist")
            let blocks = requests.dropLast()
            #expect(blocks.count == 3)
            #expect(blocks.allSatisfy { ($0["query"] as? [String: String])?["comp"] == "block" && ($0["query"] as? [String: String])?["sig"] == "fresh-sas" })
            // Join the blocks in the order the block list names them.
            let joined = directory.appendingPathComponent("joined.bin")
            var bytes = Data()
            for block in blocks { bytes += try Data(contentsOf: URL(fileURLWithPath: try #require(block["body_file"] as? String))) }
            try bytes.write(to: joined)
            let list = String(decoding: try Data(contentsOf: URL(fileURLWithPath: try #require(final["body_file"] as? String))), as: UTF8.self)
            let ids = blocks.compactMap { ($0["query"] as? [String: String])?["blockid"] }
            #expect(list.contains(ids.map { "<Latest>\($0)</Latest>" }.joined()))
            body = joined.path
        } else {
            #expect(requests.count == 1)
            #expect(headers["x-ms-blob-type"] == "BlockBlob")
            body = try #require(final["body_file"] as? String)
        }
        let decrypted = try Self.connectorDecrypt(
            body, key: wrapped, iv: iv, matdesc: try #require(headers["x-ms-meta-matdesc"]), masterKey: material["queryStageMasterKey"]!)
        #expect(decrypted == (try Data(contentsOf: source)))
        #expect(try server.statementCounts()["PUT"] == 2)
        await session.close()
    }

    @Test func gcsTokenUploadStreamsAndGetDecryptsIt() async throws {
        let server = try StageServer()
        defer { server.stop() }
        let material = Self.material(keyBytes: 16)
        let stageInfo: [String: Any] = [
            "locationType": "GCS", "location": "gbucket/stage/", "endPoint": server.storageURL,
            "creds": ["GCS_ACCESS_TOKEN": "gcs-access-token-value"],
        ]
        try server.setAnswers(
            put: [["command": "UPLOAD", "queryId": "q-gcs", "autoCompress": true, "sourceCompression": "auto_detect",
                   "stageInfo": stageInfo, "encryptionMaterial": material]],
            get: [["command": "DOWNLOAD", "queryId": "q-gcs-get", "src_locations": ["c.csv.gz"], "stageInfo": stageInfo,
                   "encryptionMaterial": [material]]])
        let directory = try TestEnvironment.temporaryDirectory()
        let source = try Self.writeFile(directory.appendingPathComponent("c.csv.gz"), size: 3_000_001)
        let session = try await SnowflakeSession.connect(server.config())
        _ = try await session.execute("PUT file://\(source.path) @S")
        let request = try #require(try server.storageRequests().first)
        #expect(request["method"] as? String == "PUT")
        #expect(request["path"] as? String == "/storage/gbucket/stage/c.csv.gz")
        let headers = try #require(request["headers"] as? [String: String])
        #expect(headers["authorization"] == "Bearer gcs-access-token-value")
        #expect(headers["x-goog-meta-sfc-digest"] == Data(SHA256.hash(data: try Data(contentsOf: source))).base64EncodedString())
        let encryptionData = try #require(headers["x-goog-meta-encryptiondata"])
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(encryptionData.utf8)) as? [String: Any])
        let decrypted = try Self.connectorDecrypt(
            try #require(request["body_file"] as? String),
            key: try #require((fields["WrappedContentKey"] as? [String: Any])?["EncryptedKey"] as? String),
            iv: try #require(fields["ContentEncryptionIV"] as? String), matdesc: try #require(headers["x-goog-meta-matdesc"]),
            masterKey: material["queryStageMasterKey"]!)
        #expect(decrypted == (try Data(contentsOf: source)))

        _ = try await session.execute("GET @S/c.csv.gz file://\(directory.path)/back")
        #expect(try Data(contentsOf: directory.appendingPathComponent("back/c.csv.gz")) == (try Data(contentsOf: source)))
        await session.close()
    }

    /// GCS without a token: the PUT is sent again per file for that file's presigned URL, and each
    /// object is encrypted with the material of the answer that named it.
    @Test func gcsPresignedURLsAreRequestedPerFile() async throws {
        let server = try StageServer()
        defer { server.stop() }
        let material = Self.material(keyBytes: 16)
        try server.setAnswers(put: [
            ["command": "UPLOAD", "queryId": "q-presigned", "autoCompress": true, "sourceCompression": "auto_detect",
             "stageInfo": ["locationType": "GCS", "location": "gbucket/stage/", "presignedUrl": "\(server.storageURL)/signed/{name}?X-Goog-Signature=abc",
                           "creds": [String: String]()],
             "encryptionMaterial": material]
        ])
        let directory = try TestEnvironment.temporaryDirectory()
        let first = try Self.writeFile(directory.appendingPathComponent("p1.csv.gz"), size: 1000)
        let second = try Self.writeFile(directory.appendingPathComponent("p2.csv.gz"), size: 2000)
        let session = try await SnowflakeSession.connect(server.config())
        let put = try await session.execute("PUT file://\(directory.path)/p*.csv.gz @S")
        #expect(put.rows.map { $0[1] } == [.string("p1.csv.gz"), .string("p2.csv.gz")])
        #expect(try server.statementCounts()["PUT"] == 3)
        let requests = try server.storageRequests()
        #expect(requests.map { $0["path"] as? String } == ["/storage/signed/p1.csv.gz", "/storage/signed/p2.csv.gz"])
        for (request, source) in zip(requests, [first, second]) {
            let headers = try #require(request["headers"] as? [String: String])
            #expect(headers["authorization"] == nil)
            let encryptionData = try #require(headers["x-goog-meta-encryptiondata"])
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(encryptionData.utf8)) as? [String: Any])
            let decrypted = try Self.connectorDecrypt(
                try #require(request["body_file"] as? String),
                key: try #require((fields["WrappedContentKey"] as? [String: Any])?["EncryptedKey"] as? String),
                iv: try #require(fields["ContentEncryptionIV"] as? String), matdesc: try #require(headers["x-goog-meta-matdesc"]),
                masterKey: material["queryStageMasterKey"]!)
            #expect(decrypted == (try Data(contentsOf: source)))
        }
        await session.close()
    }

    @Test func getStatementParsing() throws {
        #expect(try GetStatement(parsing: "GET @S/a file:///tmp/x")?.localDirectory == "/tmp/x")
        #expect(try GetStatement(parsing: "get @S/a 'file:///tmp/with space' PARALLEL=1")?.localDirectory == "/tmp/with space")
        #expect(try GetStatement(parsing: "SELECT 1") == nil)
        #expect(throws: SnowflakeError.self) { try GetStatement(parsing: "GET @S/a /tmp/x") }
    }

    // MARK: Helpers

    static func material(keyBytes: Int) -> [String: String] {
        var generator = SystemRandomNumberGenerator()
        let key = (0..<keyBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return ["queryStageMasterKey": Data(key).base64EncodedString(), "queryId": "q-stage-1", "smkId": "4242"]
    }

    static func transport() -> HTTPTransport {
        HTTPTransport(
            baseURL: "http://127.0.0.1", retryPolicy: TestEnvironment.quickRetries, logger: Logger(label: "stage-test"),
            scrubber: SecretScrubber([]))
    }

    static func motoPort() throws -> Int {
        guard let text = ProcessInfo.processInfo.environment["SPARK_TEST_MOTO_PORT"], let port = Int(text) else {
            throw MissingTestEnvironment(variable: "SPARK_TEST_MOTO_PORT")
        }
        return port
    }

    /// A fresh bucket on the moto server `scripts/test` started, made through this client's SigV4 requests.
    static func motoStage(keyBytes: Int) async throws -> StageLocation {
        let bucket = TestEnvironment.uniqueName("stage").replacingOccurrences(of: "_", with: "-")
        let location = StageLocation(
            locationType: "S3", location: "\(bucket)/db/schema/stage/", region: "us-east-1", endpoint: "http://127.0.0.1:\(try motoPort())",
            credentials: ["AWS_KEY_ID": "AKIDMOTO", "AWS_SECRET_KEY": "moto-secret-key-value", "AWS_TOKEN": "moto-session-token-value"],
            encryptionMaterial: material(keyBytes: keyBytes))
        try await S3Stage(transport: transport()).createBucket(location)
        return location
    }

    /// Incompressible bytes, deterministic per size.
    static func writeFile(_ url: URL, size: Int) throws -> URL {
        var bytes = [UInt8](repeating: 0, count: size)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(size)
        for i in bytes.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        bytes[0] = 0x1F
        bytes[1] = 0x8B  // looks gzip'd, so it is uploaded as is
        try Data(bytes).write(to: url)
        return url
    }

    /// snowflake-connector-python's own decryption of a downloaded object.
    static func connectorDecrypt(_ path: String, key: String, iv: String, matdesc: String, masterKey: String) throws -> Data {
        let output = try runPython(#"""
            import os, sys
            from snowflake.connector.constants import EncryptionMetadata
            from snowflake.connector.encryption_util import SnowflakeEncryptionUtil
            from snowflake.connector.storage_client import SnowflakeFileEncryptionMaterial
            src, key, iv, matdesc, master = sys.argv[1:6]
            out = SnowflakeEncryptionUtil.decrypt_file(
                EncryptionMetadata(key=key, iv=iv, matdesc=matdesc),
                SnowflakeFileEncryptionMaterial(query_stage_master_key=master, query_id="q-stage-1", smk_id=4242),
                src, tmp_dir=os.path.dirname(src))
            print(out)
            """#, arguments: [path, key, iv, matdesc, masterKey])
        return try Data(contentsOf: URL(fileURLWithPath: output.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
