-- spark:migration {"client":"BYD","database":"MARKETING","description":"byd_meta_2024_wave1_naming_keys","format":1,"platform":"META","schema":"CLIENT_BYD_META_2024","version":1,"wave":1,"year":2024}
-- spark:change {"change":{"database":"MARKETING"},"kind":"create_database"}
-- spark:change {"change":{"client":"BYD","database":"MARKETING","platform":"META","schema":"CLIENT_BYD_META_2024","year":2024},"kind":"create_schema"}
-- spark:change {"change":{"columns":[{"name":"NAMING_KEY","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv","firstWave":1,"rawHeader":"Naming key"},"type":"VARCHAR"},{"name":"CAMPAIGN_NAME","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv","firstWave":1,"rawHeader":"Campaign name"},"type":"VARCHAR"},{"name":"OBJECTIVE","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv","firstWave":1,"rawHeader":"Objective"},"type":"VARCHAR"},{"name":"MARKET","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv","firstWave":1,"rawHeader":"Market"},"type":"VARCHAR"},{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"NAMING_KEYS","table":{"database":"MARKETING","schema":"CLIENT_BYD_META_2024","table":"NAMING_KEYS"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"PROCESSED_CAMPAIGN_DATA","table":{"database":"MARKETING","schema":"CLIENT_BYD_META_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"defaultExpression":"CURRENT_TIMESTAMP()","name":"LOGGED_AT","type":"TIMESTAMP_NTZ"},{"name":"TABLE_NAME","type":"VARCHAR"},{"name":"WAVE","type":"NUMBER(38,0)"},{"name":"FILE_NAME","type":"VARCHAR"},{"name":"FILE_SHA256","type":"VARCHAR(64)"},{"name":"COLUMN_COUNT","type":"NUMBER(38,0)"},{"name":"ROW_COUNT","type":"NUMBER(38,0)"},{"name":"COLUMN_NAMES","type":"VARCHAR"},{"name":"STATUS","type":"VARCHAR(16)"},{"name":"ERROR_MESSAGE","type":"VARCHAR"},{"name":"ROWS_SUMMARY","type":"NUMBER(38,0)"},{"name":"ROWS_REJECTED","type":"NUMBER(38,0)"},{"name":"KEYS_UNMATCHED","type":"NUMBER(38,0)"}],"kind":"PROCESSING_LOG","table":{"database":"MARKETING","schema":"CLIENT_BYD_META_2024","table":"PROCESSING_LOG"}},"kind":"create_table"}
-- spark:change {"change":{"database":"MARKETING","name":"SPARK_CANONICAL_CSV","schema":"CLIENT_BYD_META_2024"},"kind":"create_file_format"}
-- spark:change {"change":{"database":"MARKETING","fileFormat":"SPARK_CANONICAL_CSV","name":"CLIENT_BYD_META_2024_STAGE","schema":"CLIENT_BYD_META_2024"},"kind":"create_stage"}
-- spark:change {"change":{"access":"read-write","parentRole":"DATA_ENGINEER","role":"CLIENT_BYD_META_2024_RW","schema":"CLIENT_BYD_META_2024"},"kind":"create_role"}
-- spark:change {"change":{"access":"read-only","parentRole":"DATA_ENGINEER","role":"CLIENT_BYD_META_2024_RO","schema":"CLIENT_BYD_META_2024"},"kind":"create_role"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_BYD_META_2024_RW"],"privileges":[],"role":"DATA_ENGINEER"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["MARKETING"],"privileges":["USAGE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["MARKETING","CLIENT_BYD_META_2024"],"privileges":["USAGE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_BYD_META_2024_RO"],"privileges":[],"role":"DATA_ENGINEER"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["MARKETING"],"privileges":["USAGE"],"role":"CLIENT_BYD_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["MARKETING","CLIENT_BYD_META_2024"],"privileges":["USAGE"],"role":"CLIENT_BYD_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["MARKETING","CLIENT_BYD_META_2024"],"privileges":["SELECT"],"role":"CLIENT_BYD_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["MARKETING","CLIENT_BYD_META_2024"],"privileges":["SELECT"],"role":"CLIENT_BYD_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["MARKETING","CLIENT_BYD_META_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["MARKETING","CLIENT_BYD_META_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"stage","objectName":["MARKETING","CLIENT_BYD_META_2024","CLIENT_BYD_META_2024_STAGE"],"privileges":["READ","WRITE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"file-format","objectName":["MARKETING","CLIENT_BYD_META_2024","SPARK_CANONICAL_CSV"],"privileges":["USAGE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"bytes":134,"canonicalPath":".spark/staging/7106dc830bde370e7f27b11c56b83e2621c2eff54573cc8914a1c49b76ecc5ee.csv.gz","columns":[{"column":"NAMING_KEY","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"BYD-SEAL-Q1"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":14,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Naming key","sourceIndex":0},{"column":"CAMPAIGN_NAME","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"BYD_SEAL_2024_Q1"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":19,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Campaign name","sourceIndex":1},{"column":"OBJECTIVE","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"Awareness"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":11,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Objective","sourceIndex":2},{"column":"MARKET","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"DE"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":2,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Market","sourceIndex":3}],"constants":[{"column":"SPARK_WAVE","value":"1"},{"column":"SPARK_SOURCE_FILE","value":"data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv"},{"column":"SPARK_FILE_SHA256","value":"7106dc830bde370e7f27b11c56b83e2621c2eff54573cc8914a1c49b76ecc5ee"}],"dialect":{"delimiter":44,"encoding":"utf-8","headerLine":1},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"54e3f304b39c068b5df97d9798a378842b34253f24326a45955e84842df75a7b","namingKeys":["BYD-DOLPHIN-Q1","BYD-SEAL-Q1"],"path":"data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv","rawStageFolder":"raw/7106dc830bde370e7f27b11c56b83e2621c2eff54573cc8914a1c49b76ecc5ee/","rows":2,"sha256":"7106dc830bde370e7f27b11c56b83e2621c2eff54573cc8914a1c49b76ecc5ee","stage":"CLIENT_BYD_META_2024_STAGE","stagePath":"wave1/7106dc830bde370e7f27b11c56b83e2621c2eff54573cc8914a1c49b76ecc5ee.csv.gz","table":{"database":"MARKETING","schema":"CLIENT_BYD_META_2024","table":"NAMING_KEYS"},"wave":1},"kind":"load_file"}
-- spark:end

-- spark:step 1 create_database
CREATE DATABASE IF NOT EXISTS "MARKETING";

-- spark:step 2 create_schema
CREATE SCHEMA IF NOT EXISTS "MARKETING"."CLIENT_BYD_META_2024" COMMENT = 'spark: client BYD, platform META, year 2024';

-- spark:step 3 create_table
CREATE TABLE IF NOT EXISTS "MARKETING"."CLIENT_BYD_META_2024"."NAMING_KEYS" (
    "NAMING_KEY" VARCHAR COMMENT 'source header: Naming key; first file: data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv; first wave: 1',
    "CAMPAIGN_NAME" VARCHAR COMMENT 'source header: Campaign name; first file: data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv; first wave: 1',
    "OBJECTIVE" VARCHAR COMMENT 'source header: Objective; first file: data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv; first wave: 1',
    "MARKET" VARCHAR COMMENT 'source header: Market; first file: data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv; first wave: 1',
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

-- spark:step 4 create_table
CREATE TABLE IF NOT EXISTS "MARKETING"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" (
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

-- spark:step 5 create_table
CREATE TABLE IF NOT EXISTS "MARKETING"."CLIENT_BYD_META_2024"."PROCESSING_LOG" (
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

-- spark:step 6 create_file_format
CREATE FILE FORMAT IF NOT EXISTS "MARKETING"."CLIENT_BYD_META_2024"."SPARK_CANONICAL_CSV"
    TYPE = CSV
    FIELD_DELIMITER = ','
    SKIP_HEADER = 1
    FIELD_OPTIONALLY_ENCLOSED_BY = '"'
    NULL_IF = ('\\N')
    EMPTY_FIELD_AS_NULL = FALSE
    COMPRESSION = GZIP;

-- spark:step 7 create_stage
CREATE STAGE IF NOT EXISTS "MARKETING"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"
    FILE_FORMAT = (FORMAT_NAME = '"MARKETING"."CLIENT_BYD_META_2024"."SPARK_CANONICAL_CSV"');

-- spark:step 8 create_role
CREATE ROLE IF NOT EXISTS "CLIENT_BYD_META_2024_RW" COMMENT = 'spark: read-write role for schema CLIENT_BYD_META_2024';

-- spark:step 9 create_role
CREATE ROLE IF NOT EXISTS "CLIENT_BYD_META_2024_RO" COMMENT = 'spark: read-only role for schema CLIENT_BYD_META_2024';

-- spark:step 10 grant
GRANT ROLE "CLIENT_BYD_META_2024_RW" TO ROLE "DATA_ENGINEER";

-- spark:step 11 grant
GRANT USAGE ON DATABASE "MARKETING" TO ROLE "CLIENT_BYD_META_2024_RW";

-- spark:step 12 grant
GRANT USAGE ON SCHEMA "MARKETING"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RW";

-- spark:step 13 grant
GRANT ROLE "CLIENT_BYD_META_2024_RO" TO ROLE "DATA_ENGINEER";

-- spark:step 14 grant
GRANT USAGE ON DATABASE "MARKETING" TO ROLE "CLIENT_BYD_META_2024_RO";

-- spark:step 15 grant
GRANT USAGE ON SCHEMA "MARKETING"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RO";

-- spark:step 16 grant
GRANT SELECT ON ALL TABLES IN SCHEMA "MARKETING"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RO";

-- spark:step 17 grant
GRANT SELECT ON FUTURE TABLES IN SCHEMA "MARKETING"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RO";

-- spark:step 18 grant
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "MARKETING"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RW";

-- spark:step 19 grant
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON FUTURE TABLES IN SCHEMA "MARKETING"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RW";

-- spark:step 20 grant
GRANT READ, WRITE ON STAGE "MARKETING"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE" TO ROLE "CLIENT_BYD_META_2024_RW";

-- spark:step 21 grant
GRANT USAGE ON FILE FORMAT "MARKETING"."CLIENT_BYD_META_2024"."SPARK_CANONICAL_CSV" TO ROLE "CLIENT_BYD_META_2024_RW";

-- spark:step 22 put_canonical
PUT 'file://.spark/staging/7106dc830bde370e7f27b11c56b83e2621c2eff54573cc8914a1c49b76ecc5ee.csv.gz' @"MARKETING"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/wave1/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
-- spark:step 22 put_raw
PUT 'file://data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv' @"MARKETING"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/raw/7106dc830bde370e7f27b11c56b83e2621c2eff54573cc8914a1c49b76ecc5ee/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
-- spark:step 22 copy
COPY INTO "MARKETING"."CLIENT_BYD_META_2024"."NAMING_KEYS" ("NAMING_KEY", "CAMPAIGN_NAME", "OBJECTIVE", "MARKET", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"MARKETING"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/wave1/7106dc830bde370e7f27b11c56b83e2621c2eff54573cc8914a1c49b76ecc5ee.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"MARKETING"."CLIENT_BYD_META_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
-- spark:step 22 log_load
INSERT INTO "MARKETING"."CLIENT_BYD_META_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED", "KEYS_UNMATCHED")
    SELECT 'NAMING_KEYS', 1, 'data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv', '7106dc830bde370e7f27b11c56b83e2621c2eff54573cc8914a1c49b76ecc5ee', 4, 2, '["NAMING_KEY","CAMPAIGN_NAME","OBJECTIVE","MARKET"]', 'LOADED', 0, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "MARKETING"."CLIENT_BYD_META_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = '7106dc830bde370e7f27b11c56b83e2621c2eff54573cc8914a1c49b76ecc5ee' AND "TABLE_NAME" = 'NAMING_KEYS' AND "STATUS" = 'LOADED');
