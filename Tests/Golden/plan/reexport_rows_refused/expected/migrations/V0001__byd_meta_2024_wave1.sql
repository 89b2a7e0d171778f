-- spark:migration {"client":"BYD","database":"SPARK_DB","description":"byd_meta_2024_wave1","format":1,"platform":"META","schema":"CLIENT_BYD_META_2024","version":1,"wave":1,"year":2024}
-- spark:change {"change":{"database":"SPARK_DB"},"kind":"create_database"}
-- spark:change {"change":{"client":"BYD","database":"SPARK_DB","platform":"META","schema":"CLIENT_BYD_META_2024","year":2024},"kind":"create_schema"}
-- spark:change {"change":{"columns":[{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"NAMING_KEYS","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"NAMING_KEYS"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"name":"CAMPAIGN_NAME","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Campaign name"},"type":"VARCHAR"},{"name":"NAMING_KEY","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Naming key"},"type":"VARCHAR"},{"name":"AD_SET_NAME","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Ad set name"},"type":"VARCHAR"},{"name":"REPORTING_STARTS","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Reporting starts"},"type":"DATE"},{"name":"REPORTING_ENDS","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Reporting ends"},"type":"DATE"},{"name":"IMPRESSIONS","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Impressions"},"type":"NUMBER(38,0)"},{"name":"REACH","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Reach"},"type":"NUMBER(38,0)"},{"name":"AMOUNT_SPENT_EUR","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Amount spent (EUR)"},"type":"NUMBER(38,2)"},{"name":"LINK_CLICKS","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Link clicks"},"type":"NUMBER(38,0)"},{"name":"CTR_LINK_CLICK_THROUGH_RATE","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"CTR (link click-through rate)"},"type":"NUMBER(38,6)"},{"name":"COST_PER_RESULT","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Cost per result"},"type":"NUMBER(38,2)"},{"name":"DELIVERY_STATUS","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Delivery status"},"type":"VARCHAR"},{"name":"NOTES","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Notes"},"type":"VARCHAR"},{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"PROCESSED_CAMPAIGN_DATA","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"defaultExpression":"CURRENT_TIMESTAMP()","name":"LOGGED_AT","type":"TIMESTAMP_NTZ"},{"name":"TABLE_NAME","type":"VARCHAR"},{"name":"WAVE","type":"NUMBER(38,0)"},{"name":"FILE_NAME","type":"VARCHAR"},{"name":"FILE_SHA256","type":"VARCHAR(64)"},{"name":"COLUMN_COUNT","type":"NUMBER(38,0)"},{"name":"ROW_COUNT","type":"NUMBER(38,0)"},{"name":"COLUMN_NAMES","type":"VARCHAR"},{"name":"STATUS","type":"VARCHAR(16)"},{"name":"ERROR_MESSAGE","type":"VARCHAR"},{"name":"ROWS_SUMMARY","type":"NUMBER(38,0)"},{"name":"ROWS_REJECTED","type":"NUMBER(38,0)"}],"kind":"PROCESSING_LOG","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"PROCESSING_LOG"}},"kind":"create_table"}
-- spark:change {"change":{"database":"SPARK_DB","name":"SPARK_CANONICAL_CSV","schema":"CLIENT_BYD_META_2024"},"kind":"create_file_format"}
-- spark:change {"change":{"database":"SPARK_DB","fileFormat":"SPARK_CANONICAL_CSV","name":"CLIENT_BYD_META_2024_STAGE","schema":"CLIENT_BYD_META_2024"},"kind":"create_stage"}
-- spark:change {"change":{"access":"read-write","parentRole":"SYSADMIN","role":"CLIENT_BYD_META_2024_RW","schema":"CLIENT_BYD_META_2024"},"kind":"create_role"}
-- spark:change {"change":{"access":"read-only","parentRole":"SYSADMIN","role":"CLIENT_BYD_META_2024_RO","schema":"CLIENT_BYD_META_2024"},"kind":"create_role"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_BYD_META_2024_RW"],"privileges":[],"role":"SYSADMIN"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["SPARK_DB"],"privileges":["USAGE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["SPARK_DB","CLIENT_BYD_META_2024"],"privileges":["USAGE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_BYD_META_2024_RO"],"privileges":[],"role":"SYSADMIN"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["SPARK_DB"],"privileges":["USAGE"],"role":"CLIENT_BYD_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["SPARK_DB","CLIENT_BYD_META_2024"],"privileges":["USAGE"],"role":"CLIENT_BYD_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["SPARK_DB","CLIENT_BYD_META_2024"],"privileges":["SELECT"],"role":"CLIENT_BYD_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["SPARK_DB","CLIENT_BYD_META_2024"],"privileges":["SELECT"],"role":"CLIENT_BYD_META_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["SPARK_DB","CLIENT_BYD_META_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["SPARK_DB","CLIENT_BYD_META_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"stage","objectName":["SPARK_DB","CLIENT_BYD_META_2024","CLIENT_BYD_META_2024_STAGE"],"privileges":["READ","WRITE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"file-format","objectName":["SPARK_DB","CLIENT_BYD_META_2024","SPARK_CANONICAL_CSV"],"privileges":["USAGE"],"role":"CLIENT_BYD_META_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"bytes":10640,"canonicalPath":".spark/staging/63f0e938a6ec64a113cf3d27a000f440c17c226727e48fd76ac156b0d1cf8d90.csv.gz","columns":[{"column":"CAMPAIGN_NAME","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"BYD DE – Seal, Spring"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":24,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Campaign name","sourceIndex":0},{"column":"NAMING_KEY","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"BYD-DE-AWR-02"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":13,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Naming key","sourceIndex":1},{"column":"AD_SET_NAME","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"Lookalike 1"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":11,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Ad set name","sourceIndex":2},{"column":"REPORTING_STARTS","columnType":"DATE","facts":{"dateFormat":"YYYY-MM-DD","evidence":{"line":2,"value":"2024-03-02"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Reporting starts","sourceIndex":3},{"column":"REPORTING_ENDS","columnType":"DATE","facts":{"dateFormat":"YYYY-MM-DD","evidence":{"line":2,"value":"2024-03-02"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Reporting ends","sourceIndex":4},{"column":"IMPRESSIONS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"382065"},"formattedNumbers":false,"maxIntegerDigits":7,"maxLength":7,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Impressions","sourceIndex":5},{"column":"REACH","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"127355"},"formattedNumbers":false,"maxIntegerDigits":7,"maxLength":7,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Reach","sourceIndex":6},{"column":"AMOUNT_SPENT_EUR","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":2,"value":"4934.25"},"formattedNumbers":false,"maxIntegerDigits":4,"maxLength":7,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"Amount spent (EUR)","sourceIndex":7},{"column":"LINK_CLICKS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"18961"},"formattedNumbers":false,"maxIntegerDigits":5,"maxLength":5,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Link clicks","sourceIndex":8},{"column":"CTR_LINK_CLICK_THROUGH_RATE","columnType":"NUMBER(38,6)","facts":{"evidence":{"line":2,"value":"4.962768"},"formattedNumbers":false,"maxIntegerDigits":2,"maxLength":9,"maxScale":6,"percent":false},"inferredType":"NUMBER(38,6)","nulls":0,"rawHeader":"CTR (link click-through rate)","sourceIndex":9},{"column":"COST_PER_RESULT","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":2,"value":"0.26"},"formattedNumbers":false,"maxIntegerDigits":1,"maxLength":4,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":13,"rawHeader":"Cost per result","sourceIndex":10},{"column":"DELIVERY_STATUS","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"active"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":8,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Delivery status","sourceIndex":11},{"column":"NOTES","columnType":"VARCHAR","facts":{"evidence":{"line":10,"value":"Creative refreshed mid-flight;\nsee brief v2"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":43,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":72,"rawHeader":"Notes","sourceIndex":12}],"constants":[{"column":"SPARK_WAVE","value":"1"},{"column":"SPARK_SOURCE_FILE","value":"data/byd/meta/2024/byd_meta_2024_wave1.csv"},{"column":"SPARK_FILE_SHA256","value":"63f0e938a6ec64a113cf3d27a000f440c17c226727e48fd76ac156b0d1cf8d90"}],"dialect":{"decimalSeparator":".","delimiter":44,"encoding":"utf-8-bom","headerLine":1},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"2d2b0b19652c0c94447196d621eecde6ba91a7c69806fccc7f07020976543dd3","path":"data/byd/meta/2024/byd_meta_2024_wave1.csv","rawStageFolder":"raw/63f0e938a6ec64a113cf3d27a000f440c17c226727e48fd76ac156b0d1cf8d90/","rows":80,"sha256":"63f0e938a6ec64a113cf3d27a000f440c17c226727e48fd76ac156b0d1cf8d90","stage":"CLIENT_BYD_META_2024_STAGE","stagePath":"wave1/63f0e938a6ec64a113cf3d27a000f440c17c226727e48fd76ac156b0d1cf8d90.csv.gz","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"PROCESSED_CAMPAIGN_DATA"},"wave":1},"kind":"load_file"}
-- spark:end

CREATE DATABASE IF NOT EXISTS "SPARK_DB";

CREATE SCHEMA IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_META_2024" COMMENT = 'spark: client BYD, platform META, year 2024';

CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_META_2024"."NAMING_KEYS" (
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" (
    "CAMPAIGN_NAME" VARCHAR COMMENT 'source header: Campaign name; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "NAMING_KEY" VARCHAR COMMENT 'source header: Naming key; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "AD_SET_NAME" VARCHAR COMMENT 'source header: Ad set name; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "REPORTING_STARTS" DATE COMMENT 'source header: Reporting starts; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "REPORTING_ENDS" DATE COMMENT 'source header: Reporting ends; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "IMPRESSIONS" NUMBER(38,0) COMMENT 'source header: Impressions; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "REACH" NUMBER(38,0) COMMENT 'source header: Reach; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "AMOUNT_SPENT_EUR" NUMBER(38,2) COMMENT 'source header: Amount spent (EUR); first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "LINK_CLICKS" NUMBER(38,0) COMMENT 'source header: Link clicks; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "CTR_LINK_CLICK_THROUGH_RATE" NUMBER(38,6) COMMENT 'source header: CTR (link click-through rate); first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "COST_PER_RESULT" NUMBER(38,2) COMMENT 'source header: Cost per result; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "DELIVERY_STATUS" VARCHAR COMMENT 'source header: Delivery status; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "NOTES" VARCHAR COMMENT 'source header: Notes; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1',
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSING_LOG" (
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

CREATE FILE FORMAT IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_META_2024"."SPARK_CANONICAL_CSV"
    TYPE = CSV
    FIELD_DELIMITER = ','
    SKIP_HEADER = 1
    FIELD_OPTIONALLY_ENCLOSED_BY = '"'
    NULL_IF = ('\\N')
    EMPTY_FIELD_AS_NULL = FALSE
    COMPRESSION = GZIP;

CREATE STAGE IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_BYD_META_2024"."SPARK_CANONICAL_CSV"');

CREATE ROLE IF NOT EXISTS "CLIENT_BYD_META_2024_RW" COMMENT = 'spark: read-write role for schema CLIENT_BYD_META_2024';

CREATE ROLE IF NOT EXISTS "CLIENT_BYD_META_2024_RO" COMMENT = 'spark: read-only role for schema CLIENT_BYD_META_2024';

GRANT ROLE "CLIENT_BYD_META_2024_RW" TO ROLE "SYSADMIN";

GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_BYD_META_2024_RW";

GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RW";

GRANT ROLE "CLIENT_BYD_META_2024_RO" TO ROLE "SYSADMIN";

GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_BYD_META_2024_RO";

GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RO";

GRANT SELECT ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RO";

GRANT SELECT ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RO";

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RW";

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_BYD_META_2024" TO ROLE "CLIENT_BYD_META_2024_RW";

GRANT READ, WRITE ON STAGE "SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE" TO ROLE "CLIENT_BYD_META_2024_RW";

GRANT USAGE ON FILE FORMAT "SPARK_DB"."CLIENT_BYD_META_2024"."SPARK_CANONICAL_CSV" TO ROLE "CLIENT_BYD_META_2024_RW";

PUT 'file://.spark/staging/63f0e938a6ec64a113cf3d27a000f440c17c226727e48fd76ac156b0d1cf8d90.csv.gz' @"SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/wave1/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
PUT 'file://data/byd/meta/2024/byd_meta_2024_wave1.csv' @"SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/raw/63f0e938a6ec64a113cf3d27a000f440c17c226727e48fd76ac156b0d1cf8d90/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
COPY INTO "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" ("CAMPAIGN_NAME", "NAMING_KEY", "AD_SET_NAME", "REPORTING_STARTS", "REPORTING_ENDS", "IMPRESSIONS", "REACH", "AMOUNT_SPENT_EUR", "LINK_CLICKS", "CTR_LINK_CLICK_THROUGH_RATE", "COST_PER_RESULT", "DELIVERY_STATUS", "NOTES", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/wave1/63f0e938a6ec64a113cf3d27a000f440c17c226727e48fd76ac156b0d1cf8d90.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_BYD_META_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
INSERT INTO "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED")
    SELECT 'PROCESSED_CAMPAIGN_DATA', 1, 'data/byd/meta/2024/byd_meta_2024_wave1.csv', '63f0e938a6ec64a113cf3d27a000f440c17c226727e48fd76ac156b0d1cf8d90', 13, 80, '["CAMPAIGN_NAME","NAMING_KEY","AD_SET_NAME","REPORTING_STARTS","REPORTING_ENDS","IMPRESSIONS","REACH","AMOUNT_SPENT_EUR","LINK_CLICKS","CTR_LINK_CLICK_THROUGH_RATE","COST_PER_RESULT","DELIVERY_STATUS","NOTES"]', 'LOADED', 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = '63f0e938a6ec64a113cf3d27a000f440c17c226727e48fd76ac156b0d1cf8d90' AND "TABLE_NAME" = 'PROCESSED_CAMPAIGN_DATA' AND "STATUS" = 'LOADED');
