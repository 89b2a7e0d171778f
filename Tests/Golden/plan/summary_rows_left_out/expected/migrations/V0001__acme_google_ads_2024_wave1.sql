-- spark:migration {"client":"ACME","database":"SPARK_DB","description":"acme_google_ads_2024_wave1","format":1,"platform":"GOOGLE_ADS","schema":"CLIENT_ACME_GOOGLE_ADS_2024","version":1,"wave":1,"year":2024}
-- spark:change {"change":{"database":"SPARK_DB"},"kind":"create_database"}
-- spark:change {"change":{"client":"ACME","database":"SPARK_DB","platform":"GOOGLE_ADS","schema":"CLIENT_ACME_GOOGLE_ADS_2024","year":2024},"kind":"create_schema"}
-- spark:change {"change":{"columns":[{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"NAMING_KEYS","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_GOOGLE_ADS_2024","table":"NAMING_KEYS"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"name":"DAY","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Day"},"type":"DATE"},{"name":"CAMPAIGN","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Campaign"},"type":"VARCHAR"},{"name":"CAMPAIGN_TYPE","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Campaign type"},"type":"VARCHAR"},{"name":"IMPR","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Impr."},"type":"NUMBER(38,0)"},{"name":"CLICKS","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Clicks"},"type":"NUMBER(38,0)"},{"name":"CTR","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"CTR"},"type":"NUMBER(38,2)"},{"name":"CURRENCY_CODE","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Currency code"},"type":"VARCHAR"},{"name":"COST","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Cost"},"type":"NUMBER(38,2)"},{"name":"AVG_CPC","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Avg. CPC"},"type":"NUMBER(38,2)"},{"name":"CONVERSIONS","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Conversions"},"type":"NUMBER(38,2)"},{"name":"SEARCH_IMPR_SHARE","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Search impr. share"},"type":"NUMBER(38,2)"},{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"PROCESSED_CAMPAIGN_DATA","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_GOOGLE_ADS_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"defaultExpression":"CURRENT_TIMESTAMP()","name":"LOGGED_AT","type":"TIMESTAMP_NTZ"},{"name":"TABLE_NAME","type":"VARCHAR"},{"name":"WAVE","type":"NUMBER(38,0)"},{"name":"FILE_NAME","type":"VARCHAR"},{"name":"FILE_SHA256","type":"VARCHAR(64)"},{"name":"COLUMN_COUNT","type":"NUMBER(38,0)"},{"name":"ROW_COUNT","type":"NUMBER(38,0)"},{"name":"COLUMN_NAMES","type":"VARCHAR"},{"name":"STATUS","type":"VARCHAR(16)"},{"name":"ERROR_MESSAGE","type":"VARCHAR"},{"name":"ROWS_SUMMARY","type":"NUMBER(38,0)"},{"name":"ROWS_REJECTED","type":"NUMBER(38,0)"},{"name":"KEYS_UNMATCHED","type":"NUMBER(38,0)"}],"kind":"PROCESSING_LOG","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_GOOGLE_ADS_2024","table":"PROCESSING_LOG"}},"kind":"create_table"}
-- spark:change {"change":{"database":"SPARK_DB","name":"SPARK_CANONICAL_CSV","schema":"CLIENT_ACME_GOOGLE_ADS_2024"},"kind":"create_file_format"}
-- spark:change {"change":{"database":"SPARK_DB","fileFormat":"SPARK_CANONICAL_CSV","name":"CLIENT_ACME_GOOGLE_ADS_2024_STAGE","schema":"CLIENT_ACME_GOOGLE_ADS_2024"},"kind":"create_stage"}
-- spark:change {"change":{"access":"read-write","parentRole":"SYSADMIN","role":"CLIENT_ACME_GOOGLE_ADS_2024_RW","schema":"CLIENT_ACME_GOOGLE_ADS_2024"},"kind":"create_role"}
-- spark:change {"change":{"access":"read-only","parentRole":"SYSADMIN","role":"CLIENT_ACME_GOOGLE_ADS_2024_RO","schema":"CLIENT_ACME_GOOGLE_ADS_2024"},"kind":"create_role"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_ACME_GOOGLE_ADS_2024_RW"],"privileges":[],"role":"SYSADMIN"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["SPARK_DB"],"privileges":["USAGE"],"role":"CLIENT_ACME_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["SPARK_DB","CLIENT_ACME_GOOGLE_ADS_2024"],"privileges":["USAGE"],"role":"CLIENT_ACME_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"role","objectName":["CLIENT_ACME_GOOGLE_ADS_2024_RO"],"privileges":[],"role":"SYSADMIN"},"kind":"grant"}
-- spark:change {"change":{"object":"database","objectName":["SPARK_DB"],"privileges":["USAGE"],"role":"CLIENT_ACME_GOOGLE_ADS_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"schema","objectName":["SPARK_DB","CLIENT_ACME_GOOGLE_ADS_2024"],"privileges":["USAGE"],"role":"CLIENT_ACME_GOOGLE_ADS_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["SPARK_DB","CLIENT_ACME_GOOGLE_ADS_2024"],"privileges":["SELECT"],"role":"CLIENT_ACME_GOOGLE_ADS_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["SPARK_DB","CLIENT_ACME_GOOGLE_ADS_2024"],"privileges":["SELECT"],"role":"CLIENT_ACME_GOOGLE_ADS_2024_RO"},"kind":"grant"}
-- spark:change {"change":{"object":"all-tables","objectName":["SPARK_DB","CLIENT_ACME_GOOGLE_ADS_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_ACME_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"future-tables","objectName":["SPARK_DB","CLIENT_ACME_GOOGLE_ADS_2024"],"privileges":["SELECT","INSERT","UPDATE","DELETE","TRUNCATE"],"role":"CLIENT_ACME_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"stage","objectName":["SPARK_DB","CLIENT_ACME_GOOGLE_ADS_2024","CLIENT_ACME_GOOGLE_ADS_2024_STAGE"],"privileges":["READ","WRITE"],"role":"CLIENT_ACME_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"object":"file-format","objectName":["SPARK_DB","CLIENT_ACME_GOOGLE_ADS_2024","SPARK_CANONICAL_CSV"],"privileges":["USAGE"],"role":"CLIENT_ACME_GOOGLE_ADS_2024_RW"},"kind":"grant"}
-- spark:change {"change":{"bytes":17010,"canonicalPath":".spark/staging/201c7044d8081f91d8ad9f61cd2e7722093eb73780516fdf0fb4fec1a4915aa8.csv.gz","columns":[{"column":"DAY","columnType":"DATE","facts":{"dateFormat":"YYYY-MM-DD","evidence":{"line":4,"value":"2024-03-01"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Day","sourceIndex":0},{"column":"CAMPAIGN","columnType":"VARCHAR","facts":{"evidence":{"line":4,"value":"Brand – Search US"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":21,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Campaign","sourceIndex":1},{"column":"CAMPAIGN_TYPE","columnType":"VARCHAR","facts":{"evidence":{"line":4,"value":"Search"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":7,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Campaign type","sourceIndex":2},{"column":"IMPR","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":4,"value":"736,715"},"formattedNumbers":true,"maxIntegerDigits":6,"maxLength":7,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Impr.","sourceIndex":3},{"column":"CLICKS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":4,"value":"25,912"},"formattedNumbers":true,"maxIntegerDigits":5,"maxLength":6,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Clicks","sourceIndex":4},{"column":"CTR","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":4,"value":"3.52%"},"formattedNumbers":false,"maxIntegerDigits":1,"maxLength":5,"maxScale":2,"percent":true},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"CTR","sourceIndex":5},{"column":"CURRENCY_CODE","columnType":"VARCHAR","facts":{"evidence":{"line":4,"value":"USD"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":3,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Currency code","sourceIndex":6},{"column":"COST","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":4,"value":"29,280.56"},"formattedNumbers":true,"maxIntegerDigits":5,"maxLength":9,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"Cost","sourceIndex":7},{"column":"AVG_CPC","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":4,"value":"1.13"},"formattedNumbers":false,"maxIntegerDigits":1,"maxLength":4,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"Avg. CPC","sourceIndex":8},{"column":"CONVERSIONS","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":4,"value":"2,007.39"},"formattedNumbers":true,"maxIntegerDigits":4,"maxLength":8,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"Conversions","sourceIndex":9},{"column":"SEARCH_IMPR_SHARE","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":4,"value":"73.68%"},"formattedNumbers":false,"maxIntegerDigits":2,"maxLength":6,"maxScale":2,"percent":true},"inferredType":"NUMBER(38,2)","nulls":31,"rawHeader":"Search impr. share","sourceIndex":10}],"constants":[{"column":"SPARK_WAVE","value":"1"},{"column":"SPARK_SOURCE_FILE","value":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv"},{"column":"SPARK_FILE_SHA256","value":"201c7044d8081f91d8ad9f61cd2e7722093eb73780516fdf0fb4fec1a4915aa8"}],"dialect":{"decimalSeparator":".","delimiter":9,"encoding":"utf-16le","headerLine":3},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"ed8536bf649945ed980d276b4f91457cb1b291bccc86154cb079bb0af9362239","path":"data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv","rawStageFolder":"raw/201c7044d8081f91d8ad9f61cd2e7722093eb73780516fdf0fb4fec1a4915aa8/","rows":93,"sha256":"201c7044d8081f91d8ad9f61cd2e7722093eb73780516fdf0fb4fec1a4915aa8","stage":"CLIENT_ACME_GOOGLE_ADS_2024_STAGE","stagePath":"wave1/201c7044d8081f91d8ad9f61cd2e7722093eb73780516fdf0fb4fec1a4915aa8.csv.gz","summaryRows":[{"label":"Total: Account","line":97},{"label":"Total: Search campaigns","line":98},{"label":"Total: Campaigns","line":99}],"table":{"database":"SPARK_DB","schema":"CLIENT_ACME_GOOGLE_ADS_2024","table":"PROCESSED_CAMPAIGN_DATA"},"wave":1},"kind":"load_file"}
-- spark:end

-- spark:step 1 create_database
CREATE DATABASE IF NOT EXISTS "SPARK_DB";

-- spark:step 2 create_schema
CREATE SCHEMA IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" COMMENT = 'spark: client ACME, platform GOOGLE_ADS, year 2024';

-- spark:step 3 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."NAMING_KEYS" (
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

-- spark:step 4 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSED_CAMPAIGN_DATA" (
    "DAY" DATE COMMENT 'source header: Day; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "CAMPAIGN" VARCHAR COMMENT 'source header: Campaign; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "CAMPAIGN_TYPE" VARCHAR COMMENT 'source header: Campaign type; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "IMPR" NUMBER(38,0) COMMENT 'source header: Impr.; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "CLICKS" NUMBER(38,0) COMMENT 'source header: Clicks; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "CTR" NUMBER(38,2) COMMENT 'source header: CTR; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "CURRENCY_CODE" VARCHAR COMMENT 'source header: Currency code; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "COST" NUMBER(38,2) COMMENT 'source header: Cost; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "AVG_CPC" NUMBER(38,2) COMMENT 'source header: Avg. CPC; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "CONVERSIONS" NUMBER(38,2) COMMENT 'source header: Conversions; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "SEARCH_IMPR_SHARE" NUMBER(38,2) COMMENT 'source header: Search impr. share; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv; first wave: 1',
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

-- spark:step 5 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSING_LOG" (
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
CREATE FILE FORMAT IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV"
    TYPE = CSV
    FIELD_DELIMITER = ','
    SKIP_HEADER = 1
    FIELD_OPTIONALLY_ENCLOSED_BY = '"'
    NULL_IF = ('\\N')
    EMPTY_FIELD_AS_NULL = FALSE
    COMPRESSION = GZIP;

-- spark:step 7 create_stage
CREATE STAGE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV"');

-- spark:step 8 create_role
CREATE ROLE IF NOT EXISTS "CLIENT_ACME_GOOGLE_ADS_2024_RW" COMMENT = 'spark: read-write role for schema CLIENT_ACME_GOOGLE_ADS_2024';

-- spark:step 9 create_role
CREATE ROLE IF NOT EXISTS "CLIENT_ACME_GOOGLE_ADS_2024_RO" COMMENT = 'spark: read-only role for schema CLIENT_ACME_GOOGLE_ADS_2024';

-- spark:step 10 grant
GRANT ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW" TO ROLE "SYSADMIN";

-- spark:step 11 grant
GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 12 grant
GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 13 grant
GRANT ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RO" TO ROLE "SYSADMIN";

-- spark:step 14 grant
GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RO";

-- spark:step 15 grant
GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RO";

-- spark:step 16 grant
GRANT SELECT ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RO";

-- spark:step 17 grant
GRANT SELECT ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RO";

-- spark:step 18 grant
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 19 grant
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 20 grant
GRANT READ, WRITE ON STAGE "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 21 grant
GRANT USAGE ON FILE FORMAT "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 22 put_canonical
PUT 'file://.spark/staging/201c7044d8081f91d8ad9f61cd2e7722093eb73780516fdf0fb4fec1a4915aa8.csv.gz' @"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"/wave1/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
-- spark:step 22 put_raw
PUT 'file://data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv' @"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"/raw/201c7044d8081f91d8ad9f61cd2e7722093eb73780516fdf0fb4fec1a4915aa8/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
-- spark:step 22 copy
COPY INTO "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSED_CAMPAIGN_DATA" ("DAY", "CAMPAIGN", "CAMPAIGN_TYPE", "IMPR", "CLICKS", "CTR", "CURRENCY_CODE", "COST", "AVG_CPC", "CONVERSIONS", "SEARCH_IMPR_SHARE", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"/wave1/201c7044d8081f91d8ad9f61cd2e7722093eb73780516fdf0fb4fec1a4915aa8.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
-- spark:step 22 log_load
INSERT INTO "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED", "KEYS_UNMATCHED")
    SELECT 'PROCESSED_CAMPAIGN_DATA', 1, 'data/acme/google_ads/2024/acme_google_ads_2024_wave1.csv', '201c7044d8081f91d8ad9f61cd2e7722093eb73780516fdf0fb4fec1a4915aa8', 11, 93, '["DAY","CAMPAIGN","CAMPAIGN_TYPE","IMPR","CLICKS","CTR","CURRENCY_CODE","COST","AVG_CPC","CONVERSIONS","SEARCH_IMPR_SHARE"]', 'LOADED', 3, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = '201c7044d8081f91d8ad9f61cd2e7722093eb73780516fdf0fb4fec1a4915aa8' AND "TABLE_NAME" = 'PROCESSED_CAMPAIGN_DATA' AND "STATUS" = 'LOADED');
