-- spark:migration {"client":"ACME","database":"SPARK_DB","description":"acme_meta_2024_wave1","format":1,"platform":"META","schema":"CLIENT_ACME_META_2024","version":1,"wave":1,"year":2024}
-- spark:change {"change":{"database":"SPARK_DB"},"kind":"create_database"}
-- spark:change {"change":{"client":"ACME","database":"SPARK_DB","platform":"META","schema":"CLIENT_ACME_META_2024","year":2024},"kind":"create_schema"}
-- spark:change {"change":{"columns":[{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"NAMING_KEYS","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_META_2024","table":"NAMING_KEYS"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"name":"CAMPAIGN","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Campaign"},"type":"VARCHAR"},{"name":"DAY","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Day"},"type":"DATE"},{"name":"CLICKS","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Clicks"},"type":"NUMBER(38,0)"},{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"PROCESSED_CAMPAIGN_DATA","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_META_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"defaultExpression":"CURRENT_TIMESTAMP()","name":"LOGGED_AT","type":"TIMESTAMP_NTZ"},{"name":"TABLE_NAME","type":"VARCHAR"},{"name":"WAVE","type":"NUMBER(38,0)"},{"name":"FILE_NAME","type":"VARCHAR"},{"name":"FILE_SHA256","type":"VARCHAR(64)"},{"name":"COLUMN_COUNT","type":"NUMBER(38,0)"},{"name":"ROW_COUNT","type":"NUMBER(38,0)"},{"name":"COLUMN_NAMES","type":"VARCHAR"},{"name":"STATUS","type":"VARCHAR(16)"},{"name":"ERROR_MESSAGE","type":"VARCHAR"},{"name":"ROWS_SUMMARY","type":"NUMBER(38,0)"},{"name":"ROWS_REJECTED","type":"NUMBER(38,0)"},{"name":"KEYS_UNMATCHED","type":"NUMBER(38,0)"}],"kind":"PROCESSING_LOG","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_META_2024","table":"PROCESSING_LOG"}},"kind":"create_table"}
-- spark:change {"change":{"database":"SPARK_DB","name":"SPARK_CANONICAL_CSV","schema":"CLIENT_ACME_META_2024"},"kind":"create_file_format"}
-- spark:change {"change":{"database":"SPARK_DB","fileFormat":"SPARK_CANONICAL_CSV","name":"CLIENT_ACME_META_2024_STAGE","schema":"CLIENT_ACME_META_2024"},"kind":"create_stage"}
-- spark:change {"change":{"access":"read-write","parentRole":"SYSADMIN","role":"CLIENT_ACME_META_2024_RW","schema":"CLIENT_ACME_META_2024"},"kind":"create_role"}
-- spark:change {"change":{"access":"read-only","parentRole":"SYSADMIN","role":"CLIENT_ACME_META_2024_RO","schema":"CLIENT_ACME_META_2024"},"kind":"create_role"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_ACME_META_2024_RW"],"privileges":[],"role":"SYSADMIN"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["SPARK_DB"],"privileges":["USAGE"],"role":"CLIENT_ACME_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["SPARK_DB","CLIENT_ACME_META_2024"],"privileges":["USAGE"],"role":"CLIENT_ACME_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_ACME_META_2024_RO"],"privileges":[],"role":"SYSADMIN"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["SPARK_DB"],"privileges":["USAGE"],"role":"CLIENT_ACME_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["SPARK_DB","CLIENT_ACME_META_2024"],"privileges":["USAGE"],"role":"CLIENT_ACME_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["SPARK_DB","CLIENT_ACME_META_2024"],"privileges":["SELECT"],"role":"CLIENT_ACME_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["SPARK_DB","CLIENT_ACME_META_2024"],"privileges":["SELECT"],"role":"CLIENT_ACME_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["SPARK_DB","CLIENT_ACME_META_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_ACME_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["SPARK_DB","CLIENT_ACME_META_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_ACME_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"stage","objectName":["SPARK_DB","CLIENT_ACME_META_2024","CLIENT_ACME_META_2024_STAGE"],"privileges":["READ","WRITE"],"role":"CLIENT_ACME_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"file-format","objectName":["SPARK_DB","CLIENT_ACME_META_2024","SPARK_CANONICAL_CSV"],"privileges":["USAGE"],"role":"CLIENT_ACME_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"bytes":52,"canonicalPath":".spark/staging/ceafc1471ae816934588860f686adc8cd05034a5a2a2c297e6d827bbe5d44fbf.csv.gz","columns":[{"column":"CAMPAIGN","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"A"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":1,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Campaign","sourceIndex":0},{"column":"DAY","columnType":"DATE","facts":{"dateFormat":"YYYY-MM-DD","evidence":{"line":2,"value":"2024-03-01"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Day","sourceIndex":1},{"column":"CLICKS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"10"},"formattedNumbers":false,"maxIntegerDigits":2,"maxLength":2,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Clicks","sourceIndex":2}],"constants":[{"column":"SPARK_WAVE","value":"1"},{"column":"SPARK_SOURCE_FILE","value":"data/acme/meta/2024/acme_meta_2024_wave1.csv"},{"column":"SPARK_FILE_SHA256","value":"ceafc1471ae816934588860f686adc8cd05034a5a2a2c297e6d827bbe5d44fbf"}],"dialect":{"delimiter":44,"encoding":"utf-8","headerLine":1},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"f5531e51b8b2661ae95db0671fbff46f5f9c0c9edeacb0d939427d5142dab315","path":"data/acme/meta/2024/acme_meta_2024_wave1.csv","rawStageFolder":"raw/ceafc1471ae816934588860f686adc8cd05034a5a2a2c297e6d827bbe5d44fbf/","rows":2,"sha256":"ceafc1471ae816934588860f686adc8cd05034a5a2a2c297e6d827bbe5d44fbf","stage":"CLIENT_ACME_META_2024_STAGE","stagePath":"wave1/ceafc1471ae816934588860f686adc8cd05034a5a2a2c297e6d827bbe5d44fbf.csv.gz","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_META_2024","table":"PROCESSED_CAMPAIGN_DATA"},"wave":1},"kind":"load_file"}
-- spark:end

-- spark:step 1 create_database
CREATE DATABASE IF NOT EXISTS "SPARK_DB";

-- spark:step 2 create_schema
CREATE SCHEMA IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_META_2024" COMMENT = 'spark: client ACME, platform META, year 2024';

-- spark:step 3 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_META_2024"."NAMING_KEYS" (
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

-- spark:step 4 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSED_CAMPAIGN_DATA" (
    "CAMPAIGN" VARCHAR COMMENT 'source header: Campaign; first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "DAY" DATE COMMENT 'source header: Day; first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "CLICKS" NUMBER(38,0) COMMENT 'source header: Clicks; first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

-- spark:step 5 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSING_LOG" (
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
CREATE FILE FORMAT IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_META_2024"."SPARK_CANONICAL_CSV"
    TYPE = CSV
    FIELD_DELIMITER = ','
    SKIP_HEADER = 1
    FIELD_OPTIONALLY_ENCLOSED_BY = '"'
    NULL_IF = ('\\N')
    EMPTY_FIELD_AS_NULL = FALSE
    COMPRESSION = GZIP;

-- spark:step 7 create_stage
CREATE STAGE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE"
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_ACME_META_2024"."SPARK_CANONICAL_CSV"');

-- spark:step 8 create_role
CREATE ROLE IF NOT EXISTS "CLIENT_ACME_META_2024_RW" COMMENT = 'spark: read-write role for schema CLIENT_ACME_META_2024';

-- spark:step 9 create_role
CREATE ROLE IF NOT EXISTS "CLIENT_ACME_META_2024_RO" COMMENT = 'spark: read-only role for schema CLIENT_ACME_META_2024';

-- spark:step 10 grant
GRANT ROLE "CLIENT_ACME_META_2024_RW" TO ROLE "SYSADMIN";

-- spark:step 11 grant
GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_ACME_META_2024_RW";

-- spark:step 12 grant
GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_ACME_META_2024" TO ROLE "CLIENT_ACME_META_2024_RW";

-- spark:step 13 grant
GRANT ROLE "CLIENT_ACME_META_2024_RO" TO ROLE "SYSADMIN";

-- spark:step 14 grant
GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_ACME_META_2024_RO";

-- spark:step 15 grant
GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_ACME_META_2024" TO ROLE "CLIENT_ACME_META_2024_RO";

-- spark:step 16 grant
GRANT SELECT ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_META_2024" TO ROLE "CLIENT_ACME_META_2024_RO";

-- spark:step 17 grant
GRANT SELECT ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_META_2024" TO ROLE "CLIENT_ACME_META_2024_RO";

-- spark:step 18 grant
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_META_2024" TO ROLE "CLIENT_ACME_META_2024_RW";

-- spark:step 19 grant
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_META_2024" TO ROLE "CLIENT_ACME_META_2024_RW";

-- spark:step 20 grant
GRANT READ, WRITE ON STAGE "SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE" TO ROLE "CLIENT_ACME_META_2024_RW";

-- spark:step 21 grant
GRANT USAGE ON FILE FORMAT "SPARK_DB"."CLIENT_ACME_META_2024"."SPARK_CANONICAL_CSV" TO ROLE "CLIENT_ACME_META_2024_RW";

-- spark:step 22 put_canonical
PUT 'file://.spark/staging/ceafc1471ae816934588860f686adc8cd05034a5a2a2c297e6d827bbe5d44fbf.csv.gz' @"SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE"/wave1/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
-- spark:step 22 put_raw
PUT 'file://data/acme/meta/2024/acme_meta_2024_wave1.csv' @"SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE"/raw/ceafc1471ae816934588860f686adc8cd05034a5a2a2c297e6d827bbe5d44fbf/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
-- spark:step 22 copy
COPY INTO "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSED_CAMPAIGN_DATA" ("CAMPAIGN", "DAY", "CLICKS", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE"/wave1/ceafc1471ae816934588860f686adc8cd05034a5a2a2c297e6d827bbe5d44fbf.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_ACME_META_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
-- spark:step 22 log_load
INSERT INTO "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED", "KEYS_UNMATCHED")
    SELECT 'PROCESSED_CAMPAIGN_DATA', 1, 'data/acme/meta/2024/acme_meta_2024_wave1.csv', 'ceafc1471ae816934588860f686adc8cd05034a5a2a2c297e6d827bbe5d44fbf', 3, 2, '["CAMPAIGN","DAY","CLICKS"]', 'LOADED', 0, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = 'ceafc1471ae816934588860f686adc8cd05034a5a2a2c297e6d827bbe5d44fbf' AND "TABLE_NAME" = 'PROCESSED_CAMPAIGN_DATA' AND "STATUS" = 'LOADED');
