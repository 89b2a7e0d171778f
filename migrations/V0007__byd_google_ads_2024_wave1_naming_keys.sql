-- spark:migration {"client":"BYD","database":"SPARK_DB","description":"byd_google_ads_2024_wave1_naming_keys","format":1,"platform":"GOOGLE_ADS","schema":"CLIENT_BYD_GOOGLE_ADS_2024","version":7,"wave":1,"year":2024}
-- spark:change {"change":{"client":"BYD","database":"SPARK_DB","platform":"GOOGLE_ADS","schema":"CLIENT_BYD_GOOGLE_ADS_2024","year":2024},"kind":"create_schema"}
-- spark:change {"change":{"columns":[{"name":"NAMING_KEY","provenance":{"firstFile":"examples/byd_google_ads_2024_naming_keys.csv","firstWave":1,"rawHeader":"Naming Key"},"type":"VARCHAR"},{"name":"MARKET","provenance":{"firstFile":"examples/byd_google_ads_2024_naming_keys.csv","firstWave":1,"rawHeader":"Market"},"type":"VARCHAR"},{"name":"OBJECTIVE","provenance":{"firstFile":"examples/byd_google_ads_2024_naming_keys.csv","firstWave":1,"rawHeader":"Objective"},"type":"VARCHAR"},{"name":"MODEL","provenance":{"firstFile":"examples/byd_google_ads_2024_naming_keys.csv","firstWave":1,"rawHeader":"Model"},"type":"VARCHAR"},{"name":"AGENCY_OWNER","provenance":{"firstFile":"examples/byd_google_ads_2024_naming_keys.csv","firstWave":1,"rawHeader":"Agency Owner"},"type":"VARCHAR"},{"name":"CREATED","provenance":{"firstFile":"examples/byd_google_ads_2024_naming_keys.csv","firstWave":1,"rawHeader":"Created"},"type":"DATE"},{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"NAMING_KEYS","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_GOOGLE_ADS_2024","table":"NAMING_KEYS"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"PROCESSED_CAMPAIGN_DATA","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_GOOGLE_ADS_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"defaultExpression":"CURRENT_TIMESTAMP()","name":"LOGGED_AT","type":"TIMESTAMP_NTZ"},{"name":"TABLE_NAME","type":"VARCHAR"},{"name":"WAVE","type":"NUMBER(38,0)"},{"name":"FILE_NAME","type":"VARCHAR"},{"name":"FILE_SHA256","type":"VARCHAR(64)"},{"name":"COLUMN_COUNT","type":"NUMBER(38,0)"},{"name":"ROW_COUNT","type":"NUMBER(38,0)"},{"name":"COLUMN_NAMES","type":"VARCHAR"},{"name":"STATUS","type":"VARCHAR(16)"},{"name":"ERROR_MESSAGE","type":"VARCHAR"},{"name":"ROWS_SUMMARY","type":"NUMBER(38,0)"},{"name":"ROWS_REJECTED","type":"NUMBER(38,0)"},{"name":"KEYS_UNMATCHED","type":"NUMBER(38,0)"}],"kind":"PROCESSING_LOG","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_GOOGLE_ADS_2024","table":"PROCESSING_LOG"}},"kind":"create_table"}
-- spark:change {"change":{"database":"SPARK_DB","name":"SPARK_CANONICAL_CSV","schema":"CLIENT_BYD_GOOGLE_ADS_2024"},"kind":"create_file_format"}
-- spark:change {"change":{"database":"SPARK_DB","fileFormat":"SPARK_CANONICAL_CSV","name":"CLIENT_BYD_GOOGLE_ADS_2024_STAGE","schema":"CLIENT_BYD_GOOGLE_ADS_2024"},"kind":"create_stage"}
-- spark:change {"change":{"access":"read-write","parentRole":"SYSADMIN","role":"CLIENT_BYD_GOOGLE_ADS_2024_RW","schema":"CLIENT_BYD_GOOGLE_ADS_2024"},"kind":"create_role"}
-- spark:change {"change":{"access":"read-only","parentRole":"SYSADMIN","role":"CLIENT_BYD_GOOGLE_ADS_2024_RO","schema":"CLIENT_BYD_GOOGLE_ADS_2024"},"kind":"create_role"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_BYD_GOOGLE_ADS_2024_RW"],"privileges":[],"role":"SYSADMIN"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["SPARK_DB"],"privileges":["USAGE"],"role":"CLIENT_BYD_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["SPARK_DB","CLIENT_BYD_GOOGLE_ADS_2024"],"privileges":["USAGE"],"role":"CLIENT_BYD_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_BYD_GOOGLE_ADS_2024_RO"],"privileges":[],"role":"SYSADMIN"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["SPARK_DB"],"privileges":["USAGE"],"role":"CLIENT_BYD_GOOGLE_ADS_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["SPARK_DB","CLIENT_BYD_GOOGLE_ADS_2024"],"privileges":["USAGE"],"role":"CLIENT_BYD_GOOGLE_ADS_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["SPARK_DB","CLIENT_BYD_GOOGLE_ADS_2024"],"privileges":["SELECT"],"role":"CLIENT_BYD_GOOGLE_ADS_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["SPARK_DB","CLIENT_BYD_GOOGLE_ADS_2024"],"privileges":["SELECT"],"role":"CLIENT_BYD_GOOGLE_ADS_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["SPARK_DB","CLIENT_BYD_GOOGLE_ADS_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_BYD_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["SPARK_DB","CLIENT_BYD_GOOGLE_ADS_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_BYD_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"stage","objectName":["SPARK_DB","CLIENT_BYD_GOOGLE_ADS_2024","CLIENT_BYD_GOOGLE_ADS_2024_STAGE"],"privileges":["READ","WRITE"],"role":"CLIENT_BYD_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"file-format","objectName":["SPARK_DB","CLIENT_BYD_GOOGLE_ADS_2024","SPARK_CANONICAL_CSV"],"privileges":["USAGE"],"role":"CLIENT_BYD_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"bytes":811,"canonicalPath":".spark/staging/67d981f57b02bb8c0747bf819cfc54c52ce1fb3450533112f9286cc7c9a35481.csv.gz","columns":[{"column":"NAMING_KEY","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"BYD-DE-AWR-01"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":13,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Naming Key","sourceIndex":0},{"column":"MARKET","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"DE"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":2,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Market","sourceIndex":1},{"column":"OBJECTIVE","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"Awareness"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Objective","sourceIndex":2},{"column":"MODEL","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"Seal"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":7,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Model","sourceIndex":3},{"column":"AGENCY_OWNER","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"Spark Media, DE"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":15,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Agency Owner","sourceIndex":4},{"column":"CREATED","columnType":"DATE","facts":{"dateFormat":"YYYY-MM-DD","evidence":{"line":2,"value":"2024-01-03"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Created","sourceIndex":5}],"constants":[{"column":"SPARK_WAVE","value":"1"},{"column":"SPARK_SOURCE_FILE","value":"examples/byd_google_ads_2024_naming_keys.csv"},{"column":"SPARK_FILE_SHA256","value":"67d981f57b02bb8c0747bf819cfc54c52ce1fb3450533112f9286cc7c9a35481"}],"dialect":{"delimiter":44,"encoding":"utf-8","headerLine":1},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"261667336895df92ed6aa7fba76c3c2326b15e16a2069fd60093b3d133f1f6ca","namingKeys":["BYD-DE-AWR-01","BYD-DE-AWR-02","BYD-DE-CNV-01","BYD-DE-CNV-02","BYD-FR-AWR-01","BYD-FR-AWR-02","BYD-FR-CNV-01","BYD-FR-CNV-02","BYD-UK-AWR-01","BYD-UK-AWR-02","BYD-UK-CNV-01","BYD-UK-CNV-02"],"path":"examples/byd_google_ads_2024_naming_keys.csv","rawStageFolder":"raw/67d981f57b02bb8c0747bf819cfc54c52ce1fb3450533112f9286cc7c9a35481/","rows":12,"sha256":"67d981f57b02bb8c0747bf819cfc54c52ce1fb3450533112f9286cc7c9a35481","stage":"CLIENT_BYD_GOOGLE_ADS_2024_STAGE","stagePath":"wave1/67d981f57b02bb8c0747bf819cfc54c52ce1fb3450533112f9286cc7c9a35481.csv.gz","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_GOOGLE_ADS_2024","table":"NAMING_KEYS"},"wave":1},"kind":"load_file"}
-- spark:end

-- spark:step 1 create_schema
CREATE SCHEMA IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024" COMMENT = 'spark: client BYD, platform GOOGLE_ADS, year 2024';

-- spark:step 2 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."NAMING_KEYS" (
    "NAMING_KEY" VARCHAR COMMENT 'source header: Naming Key; first file: examples/byd_google_ads_2024_naming_keys.csv; first wave: 1',
    "MARKET" VARCHAR COMMENT 'source header: Market; first file: examples/byd_google_ads_2024_naming_keys.csv; first wave: 1',
    "OBJECTIVE" VARCHAR COMMENT 'source header: Objective; first file: examples/byd_google_ads_2024_naming_keys.csv; first wave: 1',
    "MODEL" VARCHAR COMMENT 'source header: Model; first file: examples/byd_google_ads_2024_naming_keys.csv; first wave: 1',
    "AGENCY_OWNER" VARCHAR COMMENT 'source header: Agency Owner; first file: examples/byd_google_ads_2024_naming_keys.csv; first wave: 1',
    "CREATED" DATE COMMENT 'source header: Created; first file: examples/byd_google_ads_2024_naming_keys.csv; first wave: 1',
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

-- spark:step 3 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."PROCESSED_CAMPAIGN_DATA" (
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

-- spark:step 4 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."PROCESSING_LOG" (
    "LOGGED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP(),
    "TABLE_NAME" VARCHAR,
    "WAVE" NUMBER(38,0),
    "FILE_NAME" VARCHAR,
    "FILE_SHA256" VARCHAR(64),
    "COLUMN_COUNT" NUMBER(38,0),
    "ROW_COUNT" NUMBER(38,0),
    "COLUMN_NAMES" VARCHAR,
    "STATUS" VARCHAR(16),
    "ERROR_MESSAGE" VARCHAR,
    "ROWS_SUMMARY" NUMBER(38,0),
    "ROWS_REJECTED" NUMBER(38,0),
    "KEYS_UNMATCHED" NUMBER(38,0)
);

-- spark:step 5 create_file_format
CREATE FILE FORMAT IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV"
    TYPE = CSV
    FIELD_DELIMITER = ','
    SKIP_HEADER = 1
    FIELD_OPTIONALLY_ENCLOSED_BY = '"'
    NULL_IF = ('\\N')
    EMPTY_FIELD_AS_NULL = FALSE
    COMPRESSION = GZIP;

-- spark:step 6 create_stage
CREATE STAGE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."CLIENT_BYD_GOOGLE_ADS_2024_STAGE"
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV"');

-- spark:step 7 create_role
CREATE ROLE IF NOT EXISTS "CLIENT_BYD_GOOGLE_ADS_2024_RW" COMMENT = 'spark: read-write role for schema CLIENT_BYD_GOOGLE_ADS_2024';

-- spark:step 8 create_role
CREATE ROLE IF NOT EXISTS "CLIENT_BYD_GOOGLE_ADS_2024_RO" COMMENT = 'spark: read-only role for schema CLIENT_BYD_GOOGLE_ADS_2024';

-- spark:step 9 grant
GRANT ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RW" TO ROLE "SYSADMIN";

-- spark:step 10 grant
GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RW";

-- spark:step 11 grant
GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024" TO ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RW";

-- spark:step 12 grant
GRANT ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RO" TO ROLE "SYSADMIN";

-- spark:step 13 grant
GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RO";

-- spark:step 14 grant
GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024" TO ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RO";

-- spark:step 15 grant
GRANT SELECT ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024" TO ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RO";

-- spark:step 16 grant
GRANT SELECT ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024" TO ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RO";

-- spark:step 17 grant
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024" TO ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RW";

-- spark:step 18 grant
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024" TO ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RW";

-- spark:step 19 grant
GRANT READ, WRITE ON STAGE "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."CLIENT_BYD_GOOGLE_ADS_2024_STAGE" TO ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RW";

-- spark:step 20 grant
GRANT USAGE ON FILE FORMAT "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV" TO ROLE "CLIENT_BYD_GOOGLE_ADS_2024_RW";

-- spark:step 21 put_canonical
PUT 'file://.spark/staging/67d981f57b02bb8c0747bf819cfc54c52ce1fb3450533112f9286cc7c9a35481.csv.gz' @"SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."CLIENT_BYD_GOOGLE_ADS_2024_STAGE"/wave1/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
-- spark:step 21 put_raw
PUT 'file://examples/byd_google_ads_2024_naming_keys.csv' @"SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."CLIENT_BYD_GOOGLE_ADS_2024_STAGE"/raw/67d981f57b02bb8c0747bf819cfc54c52ce1fb3450533112f9286cc7c9a35481/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
-- spark:step 21 copy
COPY INTO "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."NAMING_KEYS" ("NAMING_KEY", "MARKET", "OBJECTIVE", "MODEL", "AGENCY_OWNER", "CREATED", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."CLIENT_BYD_GOOGLE_ADS_2024_STAGE"/wave1/67d981f57b02bb8c0747bf819cfc54c52ce1fb3450533112f9286cc7c9a35481.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
-- spark:step 21 log_load
INSERT INTO "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED", "KEYS_UNMATCHED")
    SELECT 'NAMING_KEYS', 1, 'examples/byd_google_ads_2024_naming_keys.csv', '67d981f57b02bb8c0747bf819cfc54c52ce1fb3450533112f9286cc7c9a35481', 6, 12, '["NAMING_KEY","MARKET","OBJECTIVE","MODEL","AGENCY_OWNER","CREATED"]', 'LOADED', 0, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_BYD_GOOGLE_ADS_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = '67d981f57b02bb8c0747bf819cfc54c52ce1fb3450533112f9286cc7c9a35481' AND "TABLE_NAME" = 'NAMING_KEYS' AND "STATUS" = 'LOADED');
