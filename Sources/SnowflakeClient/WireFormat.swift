import Foundation

// The JSON shapes of the connector protocol, as the official drivers send and read them.

/// Any JSON value, for the parts of an answer whose shape varies (stage info, parameters).
enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
    var string: String? {
        switch self {
        case .string(let value): return value
        case .number(let value): return value == value.rounded() ? String(Int64(value)) : String(value)
        case .bool(let value): return String(value)
        default: return nil
        }
    }
    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
    var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
    var isNull: Bool { self == .null }
}

/// A code sent either as a JSON string or number; Snowflake uses strings, some servers numbers.
struct FlexibleCode: Decodable, Sendable {
    let value: String
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let int = try? container.decode(Int.self) {
            value = String(format: "%06d", int)
        } else {
            value = try container.decode(String.self)
        }
    }
}

/// The envelope of every answer: `{"data": …, "code": …, "message": …, "success": …}`.
struct ResponseEnvelope<Payload: Decodable & Sendable>: Decodable, Sendable {
    let data: Payload?
    let code: FlexibleCode?
    let message: String?
    let success: Bool?
}

struct LoginResponseData: Decodable, Sendable {
    let token: String?
    let masterToken: String?
    let sessionId: JSONValue?
    let serverVersion: String?
    let sessionInfo: SessionInfo?

    struct SessionInfo: Decodable, Sendable {
        let databaseName: String?
        let schemaName: String?
        let warehouseName: String?
        let roleName: String?
    }
}

struct TokenResponseData: Decodable, Sendable {
    let sessionToken: String?
    let masterToken: String?
}

struct RowTypeEntry: Decodable, Sendable {
    let name: String
    let type: String
    let precision: Int?
    let scale: Int?
    let length: Int?
    let nullable: Bool?
}

struct ChunkReference: Decodable, Sendable {
    let url: String
    let rowCount: Int?
}

/// `data` of a query answer; which fields are present depends on success, format and statement.
struct QueryResponseData: Decodable, Sendable {
    let queryId: String?
    let sqlState: String?
    let errorCode: FlexibleCode?
    let getResultUrl: String?
    let rowtype: [RowTypeEntry]?
    let rowset: [[String?]]?
    let rowsetBase64: String?
    let queryResultFormat: String?
    let statementTypeId: Int?
    let chunks: [ChunkReference]?
    let chunkHeaders: [String: String]?
    let qrmk: String?
    // File transfer (PUT and GET) answers.
    let command: String?
    let stageInfo: JSONValue?
    let src_locations: [String]?
    let autoCompress: Bool?
    let sourceCompression: String?
    let overwrite: Bool?
    let encryptionMaterial: JSONValue?
    /// GET from GCS stages without a token: one presigned URL per `src_locations` entry.
    let presignedUrls: [String]?
}

struct LoginRequest: Encodable {
    struct Body: Encodable {
        var CLIENT_APP_ID: String
        var CLIENT_APP_VERSION: String
        var ACCOUNT_NAME: String
        var LOGIN_NAME: String
        var PASSWORD: String?
        var AUTHENTICATOR: String?
        var TOKEN: String?
        var CLIENT_ENVIRONMENT: [String: String]
        var SESSION_PARAMETERS: [String: SessionParameterValue]
    }
    var data: Body
}

struct QueryRequest: Encodable {
    var sqlText: String
    var asyncExec: Bool
    var sequenceId: Int
    var querySubmissionTime: Int64
    var isInternal: Bool
    var describeOnly: Bool
}

struct TokenRequest: Encodable {
    var oldSessionToken: String
    var requestType: String
}
