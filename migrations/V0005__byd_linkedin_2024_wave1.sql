-- spark:migration {"client":"BYD","database":"SPARK_DB","description":"byd_linkedin_2024_wave1","format":1,"platform":"LINKEDIN","schema":"CLIENT_BYD_LINKEDIN_2024","version":5,"wave":1,"year":2024}
-- spark:change {"change":{"client":"BYD","database":"SPARK_DB","platform":"LINKEDIN","schema":"CLIENT_BYD_LINKEDIN_2024","year":2024},"kind":"create_schema"}
-- spark:change {"change":{"columns":[{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"NAMING_KEYS","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_LINKEDIN_2024","table":"NAMING_KEYS"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"name":"START_DATE_IN_UTC","provenance":{"firstFile":"examples/byd_linkedin_2024_wave1.csv","firstWave":1,"rawHeader":"Start Date (in UTC)"},"type":"DATE"},{"name":"CAMPAIGN_NAME","provenance":{"firstFile":"examples/byd_linkedin_2024_wave1.csv","firstWave":1,"rawHeader":"Campaign Name"},"type":"VARCHAR"},{"name":"CAMPAIGN_ID","provenance":{"firstFile":"examples/byd_linkedin_2024_wave1.csv","firstWave":1,"rawHeader":"Campaign ID"},"type":"NUMBER(38,0)"},{"name":"NAMING_KEY","provenance":{"firstFile":"examples/byd_linkedin_2024_wave1.csv","firstWave":1,"rawHeader":"Naming Key"},"type":"VARCHAR"},{"name":"IMPRESSIONS","provenance":{"firstFile":"examples/byd_linkedin_2024_wave1.csv","firstWave":1,"rawHeader":"Impressions"},"type":"NUMBER(38,0)"},{"name":"CLICKS","provenance":{"firstFile":"examples/byd_linkedin_2024_wave1.csv","firstWave":1,"rawHeader":"Clicks"},"type":"NUMBER(38,0)"},{"name":"TOTAL_SPENT","provenance":{"firstFile":"examples/byd_linkedin_2024_wave1.csv","firstWave":1,"rawHeader":"Total Spent"},"type":"NUMBER(38,2)"},{"name":"AVERAGE_CTR","provenance":{"firstFile":"examples/byd_linkedin_2024_wave1.csv","firstWave":1,"rawHeader":"Average CTR"},"type":"NUMBER(38,5)"},{"name":"LEADS","provenance":{"firstFile":"examples/byd_linkedin_2024_wave1.csv","firstWave":1,"rawHeader":"Leads"},"type":"NUMBER(38,0)"},{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"PROCESSED_CAMPAIGN_DATA","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_LINKEDIN_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"defaultExpression":"CURRENT_TIMESTAMP()","name":"LOGGED_AT","type":"TIMESTAMP_NTZ"},{"name":"TABLE_NAME","type":"VARCHAR"},{"name":"WAVE","type":"NUMBER(38,0)"},{"name":"FILE_NAME","type":"VARCHAR"},{"name":"FILE_SHA256","type":"VARCHAR(64)"},{"name":"COLUMN_COUNT","type":"NUMBER(38,0)"},{"name":"ROW_COUNT","type":"NUMBER(38,0)"},{"name":"COLUMN_NAMES","type":"VARCHAR"},{"name":"STATUS","type":"VARCHAR(16)"},{"name":"ERROR_MESSAGE","type":"VARCHAR"},{"name":"ROWS_SUMMARY","type":"NUMBER(38,0)"},{"name":"ROWS_REJECTED","type":"NUMBER(38,0)"}],"kind":"PROCESSING_LOG","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_LINKEDIN_2024","table":"PROCESSING_LOG"}},"kind":"create_table"}
-- spark:change {"change":{"database":"SPARK_DB","name":"SPARK_CANONICAL_CSV","schema":"CLIENT_BYD_LINKEDIN_2024"},"kind":"create_file_format"}
-- spark:change {"change":{"database":"SPARK_DB","fileFormat":"SPARK_CANONICAL_CSV","name":"CLIENT_BYD_LINKEDIN_2024_STAGE","schema":"CLIENT_BYD_LINKEDIN_2024"},"kind":"create_stage"}
-- spark:change {"change":{"access":"read-write","parentRole":"SYSADMIN","role":"CLIENT_BYD_LINKEDIN_2024_RW","schema":"CLIENT_BYD_LINKEDIN_2024"},"kind":"create_role"}
-- spark:change {"change":{"access":"read-only","parentRole":"SYSADMIN","role":"CLIENT_BYD_LINKEDIN_2024_RO","schema":"CLIENT_BYD_LINKEDIN_2024"},"kind":"create_role"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_BYD_LINKEDIN_2024_RW"],"privileges":[],"role":"SYSADMIN"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["SPARK_DB"],"privileges":["USAGE"],"role":"CLIENT_BYD_LINKEDIN_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["SPARK_DB","CLIENT_BYD_LINKEDIN_2024"],"privileges":["USAGE"],"role":"CLIENT_BYD_LINKEDIN_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_BYD_LINKEDIN_2024_RO"],"privileges":[],"role":"SYSADMIN"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["SPARK_DB"],"privileges":["USAGE"],"role":"CLIENT_BYD_LINKEDIN_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["SPARK_DB","CLIENT_BYD_LINKEDIN_2024"],"privileges":["USAGE"],"role":"CLIENT_BYD_LINKEDIN_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["SPARK_DB","CLIENT_BYD_LINKEDIN_2024"],"privileges":["SELECT"],"role":"CLIENT_BYD_LINKEDIN_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["SPARK_DB","CLIENT_BYD_LINKEDIN_2024"],"privileges":["SELECT"],"role":"CLIENT_BYD_LINKEDIN_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["SPARK_DB","CLIENT_BYD_LINKEDIN_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_BYD_LINKEDIN_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["SPARK_DB","CLIENT_BYD_LINKEDIN_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_BYD_LINKEDIN_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"stage","objectName":["SPARK_DB","CLIENT_BYD_LINKEDIN_2024","CLIENT_BYD_LINKEDIN_2024_STAGE"],"privileges":["READ","WRITE"],"role":"CLIENT_BYD_LINKEDIN_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"file-format","objectName":["SPARK_DB","CLIENT_BYD_LINKEDIN_2024","SPARK_CANONICAL_CSV"],"privileges":["USAGE"],"role":"CLIENT_BYD_LINKEDIN_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"bytes":4110,"canonicalPath":".spark/staging/6de21b1f476567f6aee6d5b10c1e2bd3531e983a25f7e7f5bf689b38cad0997d.csv.gz","columns":[{"column":"START_DATE_IN_UTC","columnType":"DATE","facts":{"dateFormat":"MM/DD/YYYY","evidence":{"line":20,"value":"1/13/2024"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":9,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Start Date (in UTC)","sourceIndex":0},{"column":"CAMPAIGN_NAME","columnType":"VARCHAR","facts":{"evidence":{"line":9,"value":"BYD Fleet, Lead Gen 1"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":21,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Campaign Name","sourceIndex":1},{"column":"CAMPAIGN_ID","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":9,"value":"180000001"},"formattedNumbers":false,"maxIntegerDigits":9,"maxLength":9,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Campaign ID","sourceIndex":2},{"column":"NAMING_KEY","columnType":"VARCHAR","facts":{"evidence":{"line":9,"value":"BYD-DE-AWR-02"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":13,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Naming Key","sourceIndex":3},{"column":"IMPRESSIONS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":9,"value":"60725"},"formattedNumbers":false,"maxIntegerDigits":5,"maxLength":5,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Impressions","sourceIndex":4},{"column":"CLICKS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":9,"value":"558"},"formattedNumbers":false,"maxIntegerDigits":3,"maxLength":3,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Clicks","sourceIndex":5},{"column":"TOTAL_SPENT","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":9,"value":"1433.68"},"formattedNumbers":false,"maxIntegerDigits":4,"maxLength":7,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"Total Spent","sourceIndex":6},{"column":"AVERAGE_CTR","columnType":"NUMBER(38,5)","facts":{"evidence":{"line":9,"value":"0.00646"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":7,"maxScale":5,"percent":false},"inferredType":"NUMBER(38,5)","nulls":0,"rawHeader":"Average CTR","sourceIndex":7},{"column":"LEADS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":9,"value":"29"},"formattedNumbers":false,"maxIntegerDigits":2,"maxLength":2,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Leads","sourceIndex":8}],"constants":[{"column":"SPARK_WAVE","value":"1"},{"column":"SPARK_SOURCE_FILE","value":"examples/byd_linkedin_2024_wave1.csv"},{"column":"SPARK_FILE_SHA256","value":"6de21b1f476567f6aee6d5b10c1e2bd3531e983a25f7e7f5bf689b38cad0997d"}],"dialect":{"decimalSeparator":".","delimiter":44,"encoding":"utf-8","headerLine":8},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"9873de335bc054068f2c75ea1b1c1ad65b7718cf157946d09566e348c64c77c5","path":"examples/byd_linkedin_2024_wave1.csv","rawStageFolder":"raw/6de21b1f476567f6aee6d5b10c1e2bd3531e983a25f7e7f5bf689b38cad0997d/","rows":45,"sha256":"6de21b1f476567f6aee6d5b10c1e2bd3531e983a25f7e7f5bf689b38cad0997d","stage":"CLIENT_BYD_LINKEDIN_2024_STAGE","stagePath":"wave1/6de21b1f476567f6aee6d5b10c1e2bd3531e983a25f7e7f5bf689b38cad0997d.csv.gz","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_LINKEDIN_2024","table":"PROCESSED_CAMPAIGN_DATA"},"wave":1},"kind":"load_file"}
-- spark:end

CREATE SCHEMA IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024" COMMENT = 'spark: client BYD, platform LINKEDIN, year 2024';

CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."NAMING_KEYS" (
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."PROCESSED_CAMPAIGN_DATA" (
    "START_DATE_IN_UTC" DATE COMMENT 'source header: Start Date (in UTC); first file: examples/byd_linkedin_2024_wave1.csv; first wave: 1',
    "CAMPAIGN_NAME" VARCHAR COMMENT 'source header: Campaign Name; first file: examples/byd_linkedin_2024_wave1.csv; first wave: 1',
    "CAMPAIGN_ID" NUMBER(38,0) COMMENT 'source header: Campaign ID; first file: examples/byd_linkedin_2024_wave1.csv; first wave: 1',
    "NAMING_KEY" VARCHAR COMMENT 'source header: Naming Key; first file: examples/byd_linkedin_2024_wave1.csv; first wave: 1',
    "IMPRESSIONS" NUMBER(38,0) COMMENT 'source header: Impressions; first file: examples/byd_linkedin_2024_wave1.csv; first wave: 1',
    "CLICKS" NUMBER(38,0) COMMENT 'source header: Clicks; first file: examples/byd_linkedin_2024_wave1.csv; first wave: 1',
    "TOTAL_SPENT" NUMBER(38,2) COMMENT 'source header: Total Spent; first file: examples/byd_linkedin_2024_wave1.csv; first wave: 1',
    "AVERAGE_CTR" NUMBER(38,5) COMMENT 'source header: Average CTR; first file: examples/byd_linkedin_2024_wave1.csv; first wave: 1',
    "LEADS" NUMBER(38,0) COMMENT 'source header: Leads; first file: examples/byd_linkedin_2024_wave1.csv; first wave: 1',
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."PROCESSING_LOG" (
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
    "ROWS_REJECTED" NUMBER(38,0)
);

CREATE FILE FORMAT IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."SPARK_CANONICAL_CSV"
    TYPE = CSV
    FIELD_DELIMITER = ','
    SKIP_HEADER = 1
    FIELD_OPTIONALLY_ENCLOSED_BY = '"'
    NULL_IF = ('\\N')
    EMPTY_FIELD_AS_NULL = FALSE
    COMPRESSION = GZIP;

CREATE STAGE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."CLIENT_BYD_LINKEDIN_2024_STAGE"
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."SPARK_CANONICAL_CSV"');

CREATE ROLE IF NOT EXISTS "CLIENT_BYD_LINKEDIN_2024_RW" COMMENT = 'spark: read-write role for schema CLIENT_BYD_LINKEDIN_2024';

CREATE ROLE IF NOT EXISTS "CLIENT_BYD_LINKEDIN_2024_RO" COMMENT = 'spark: read-only role for schema CLIENT_BYD_LINKEDIN_2024';

GRANT ROLE "CLIENT_BYD_LINKEDIN_2024_RW" TO ROLE "SYSADMIN";

GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_BYD_LINKEDIN_2024_RW";

GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024" TO ROLE "CLIENT_BYD_LINKEDIN_2024_RW";

GRANT ROLE "CLIENT_BYD_LINKEDIN_2024_RO" TO ROLE "SYSADMIN";

GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_BYD_LINKEDIN_2024_RO";

GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024" TO ROLE "CLIENT_BYD_LINKEDIN_2024_RO";

GRANT SELECT ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024" TO ROLE "CLIENT_BYD_LINKEDIN_2024_RO";

GRANT SELECT ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024" TO ROLE "CLIENT_BYD_LINKEDIN_2024_RO";

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024" TO ROLE "CLIENT_BYD_LINKEDIN_2024_RW";

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024" TO ROLE "CLIENT_BYD_LINKEDIN_2024_RW";

GRANT READ, WRITE ON STAGE "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."CLIENT_BYD_LINKEDIN_2024_STAGE" TO ROLE "CLIENT_BYD_LINKEDIN_2024_RW";

GRANT USAGE ON FILE FORMAT "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."SPARK_CANONICAL_CSV" TO ROLE "CLIENT_BYD_LINKEDIN_2024_RW";

PUT 'file://.spark/staging/6de21b1f476567f6aee6d5b10c1e2bd3531e983a25f7e7f5bf689b38cad0997d.csv.gz' @"SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."CLIENT_BYD_LINKEDIN_2024_STAGE"/wave1/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
PUT 'file://examples/byd_linkedin_2024_wave1.csv' @"SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."CLIENT_BYD_LINKEDIN_2024_STAGE"/raw/6de21b1f476567f6aee6d5b10c1e2bd3531e983a25f7e7f5bf689b38cad0997d/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
COPY INTO "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."PROCESSED_CAMPAIGN_DATA" ("START_DATE_IN_UTC", "CAMPAIGN_NAME", "CAMPAIGN_ID", "NAMING_KEY", "IMPRESSIONS", "CLICKS", "TOTAL_SPENT", "AVERAGE_CTR", "LEADS", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."CLIENT_BYD_LINKEDIN_2024_STAGE"/wave1/6de21b1f476567f6aee6d5b10c1e2bd3531e983a25f7e7f5bf689b38cad0997d.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
INSERT INTO "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED")
    SELECT 'PROCESSED_CAMPAIGN_DATA', 1, 'examples/byd_linkedin_2024_wave1.csv', '6de21b1f476567f6aee6d5b10c1e2bd3531e983a25f7e7f5bf689b38cad0997d', 9, 45, '["START_DATE_IN_UTC","CAMPAIGN_NAME","CAMPAIGN_ID","NAMING_KEY","IMPRESSIONS","CLICKS","TOTAL_SPENT","AVERAGE_CTR","LEADS"]', 'LOADED', 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_BYD_LINKEDIN_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = '6de21b1f476567f6aee6d5b10c1e2bd3531e983a25f7e7f5bf689b38cad0997d' AND "TABLE_NAME" = 'PROCESSED_CAMPAIGN_DATA' AND "STATUS" = 'LOADED');
