-- spark:migration {"client":"ACME","database":"SPARK_DB","description":"acme_google_ads_2024_wave1","format":1,"platform":"GOOGLE_ADS","schema":"CLIENT_ACME_GOOGLE_ADS_2024","version":9,"wave":1,"year":2024}
-- spark:change {"change":{"client":"ACME","database":"SPARK_DB","platform":"GOOGLE_ADS","schema":"CLIENT_ACME_GOOGLE_ADS_2024","year":2024},"kind":"create_schema"}
-- spark:change {"change":{"columns":[{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"NAMING_KEYS","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_GOOGLE_ADS_2024","table":"NAMING_KEYS"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"name":"TAG","provenance":{"firstFile":"examples/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Tag"},"type":"DATE"},{"name":"KAMPAGNE","provenance":{"firstFile":"examples/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Kampagne"},"type":"VARCHAR"},{"name":"KAMPAGNENTYP","provenance":{"firstFile":"examples/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Kampagnentyp"},"type":"VARCHAR"},{"name":"IMPR","provenance":{"firstFile":"examples/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Impr."},"type":"NUMBER(38,0)"},{"name":"KLICKS","provenance":{"firstFile":"examples/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Klicks"},"type":"NUMBER(38,0)"},{"name":"CTR","provenance":{"firstFile":"examples/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"CTR"},"type":"NUMBER(38,2)"},{"name":"WAHRUNGSCODE","provenance":{"firstFile":"examples/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Währungscode"},"type":"VARCHAR"},{"name":"KOSTEN","provenance":{"firstFile":"examples/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Kosten"},"type":"NUMBER(38,2)"},{"name":"CONVERSIONS","provenance":{"firstFile":"examples/acme_google_ads_2024_wave1.csv","firstWave":1,"rawHeader":"Conversions"},"type":"NUMBER(38,1)"},{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"PROCESSED_CAMPAIGN_DATA","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_GOOGLE_ADS_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"create_table"}
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
-- spark:change {"change":{"bytes":15250,"canonicalPath":".spark/staging/7d21aeba1e8f3f082bb579df2ed3cbf56e00fe6a29fffbd5df83bc72ebc1dc9d.csv.gz","columns":[{"column":"TAG","columnType":"DATE","facts":{"dateFormat":"DD.MM.YYYY","evidence":{"line":4,"value":"01.03.2024"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Tag","sourceIndex":0},{"column":"KAMPAGNE","columnType":"VARCHAR","facts":{"evidence":{"line":4,"value":"ACME Marke – Suche"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":27,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Kampagne","sourceIndex":1},{"column":"KAMPAGNENTYP","columnType":"VARCHAR","facts":{"evidence":{"line":4,"value":"Suche"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":7,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Kampagnentyp","sourceIndex":2},{"column":"IMPR","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":4,"value":"90.132"},"formattedNumbers":true,"maxIntegerDigits":6,"maxLength":7,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Impr.","sourceIndex":3},{"column":"KLICKS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":4,"value":"5.741"},"formattedNumbers":true,"maxIntegerDigits":4,"maxLength":5,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Klicks","sourceIndex":4},{"column":"CTR","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":4,"value":"6,37 %"},"formattedNumbers":false,"maxIntegerDigits":2,"maxLength":7,"maxScale":2,"percent":true},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"CTR","sourceIndex":5},{"column":"WAHRUNGSCODE","columnType":"VARCHAR","facts":{"evidence":{"line":4,"value":"EUR"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":3,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Währungscode","sourceIndex":6},{"column":"KOSTEN","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":4,"value":"8.676,32"},"formattedNumbers":true,"maxIntegerDigits":5,"maxLength":9,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"Kosten","sourceIndex":7},{"column":"CONVERSIONS","columnType":"NUMBER(38,1)","facts":{"evidence":{"line":4,"value":"382,2"},"formattedNumbers":false,"maxIntegerDigits":3,"maxLength":5,"maxScale":1,"percent":false},"inferredType":"NUMBER(38,1)","nulls":0,"rawHeader":"Conversions","sourceIndex":8}],"constants":[{"column":"SPARK_WAVE","value":"1"},{"column":"SPARK_SOURCE_FILE","value":"examples/acme_google_ads_2024_wave1.csv"},{"column":"SPARK_FILE_SHA256","value":"7d21aeba1e8f3f082bb579df2ed3cbf56e00fe6a29fffbd5df83bc72ebc1dc9d"}],"dialect":{"decimalSeparator":",","delimiter":9,"encoding":"utf-16le","headerLine":3},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"611a05062fa87a8db738a82ea737f3b563f0c5aad1e1b1b5759d44f97d2c4ae6","path":"examples/acme_google_ads_2024_wave1.csv","rawStageFolder":"raw/7d21aeba1e8f3f082bb579df2ed3cbf56e00fe6a29fffbd5df83bc72ebc1dc9d/","rows":93,"sha256":"7d21aeba1e8f3f082bb579df2ed3cbf56e00fe6a29fffbd5df83bc72ebc1dc9d","stage":"CLIENT_ACME_GOOGLE_ADS_2024_STAGE","stagePath":"wave1/7d21aeba1e8f3f082bb579df2ed3cbf56e00fe6a29fffbd5df83bc72ebc1dc9d.csv.gz","summaryRows":[{"label":"Gesamt: Konto","line":97}],"table":{"database":"SPARK_DB","schema":"CLIENT_ACME_GOOGLE_ADS_2024","table":"PROCESSED_CAMPAIGN_DATA"},"wave":1},"kind":"load_file"}
-- spark:end

-- spark:step 1 create_schema
CREATE SCHEMA IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" COMMENT = 'spark: client ACME, platform GOOGLE_ADS, year 2024';

-- spark:step 2 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."NAMING_KEYS" (
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

-- spark:step 3 create_table
CREATE TABLE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSED_CAMPAIGN_DATA" (
    "TAG" DATE COMMENT 'source header: Tag; first file: examples/acme_google_ads_2024_wave1.csv; first wave: 1',
    "KAMPAGNE" VARCHAR COMMENT 'source header: Kampagne; first file: examples/acme_google_ads_2024_wave1.csv; first wave: 1',
    "KAMPAGNENTYP" VARCHAR COMMENT 'source header: Kampagnentyp; first file: examples/acme_google_ads_2024_wave1.csv; first wave: 1',
    "IMPR" NUMBER(38,0) COMMENT 'source header: Impr.; first file: examples/acme_google_ads_2024_wave1.csv; first wave: 1',
    "KLICKS" NUMBER(38,0) COMMENT 'source header: Klicks; first file: examples/acme_google_ads_2024_wave1.csv; first wave: 1',
    "CTR" NUMBER(38,2) COMMENT 'source header: CTR; first file: examples/acme_google_ads_2024_wave1.csv; first wave: 1',
    "WAHRUNGSCODE" VARCHAR COMMENT 'source header: Währungscode; first file: examples/acme_google_ads_2024_wave1.csv; first wave: 1',
    "KOSTEN" NUMBER(38,2) COMMENT 'source header: Kosten; first file: examples/acme_google_ads_2024_wave1.csv; first wave: 1',
    "CONVERSIONS" NUMBER(38,1) COMMENT 'source header: Conversions; first file: examples/acme_google_ads_2024_wave1.csv; first wave: 1',
    "SPARK_WAVE" NUMBER(38,0),
    "SPARK_SOURCE_FILE" VARCHAR,
    "SPARK_FILE_SHA256" VARCHAR(64),
    "SPARK_LOADED_AT" TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);

-- spark:step 4 create_table
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

-- spark:step 5 create_file_format
CREATE FILE FORMAT IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV"
    TYPE = CSV
    FIELD_DELIMITER = ','
    SKIP_HEADER = 1
    FIELD_OPTIONALLY_ENCLOSED_BY = '"'
    NULL_IF = ('\\N')
    EMPTY_FIELD_AS_NULL = FALSE
    COMPRESSION = GZIP;

-- spark:step 6 create_stage
CREATE STAGE IF NOT EXISTS "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV"');

-- spark:step 7 create_role
CREATE ROLE IF NOT EXISTS "CLIENT_ACME_GOOGLE_ADS_2024_RW" COMMENT = 'spark: read-write role for schema CLIENT_ACME_GOOGLE_ADS_2024';

-- spark:step 8 create_role
CREATE ROLE IF NOT EXISTS "CLIENT_ACME_GOOGLE_ADS_2024_RO" COMMENT = 'spark: read-only role for schema CLIENT_ACME_GOOGLE_ADS_2024';

-- spark:step 9 grant
GRANT ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW" TO ROLE "SYSADMIN";

-- spark:step 10 grant
GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 11 grant
GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 12 grant
GRANT ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RO" TO ROLE "SYSADMIN";

-- spark:step 13 grant
GRANT USAGE ON DATABASE "SPARK_DB" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RO";

-- spark:step 14 grant
GRANT USAGE ON SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RO";

-- spark:step 15 grant
GRANT SELECT ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RO";

-- spark:step 16 grant
GRANT SELECT ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RO";

-- spark:step 17 grant
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 18 grant
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON FUTURE TABLES IN SCHEMA "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 19 grant
GRANT READ, WRITE ON STAGE "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 20 grant
GRANT USAGE ON FILE FORMAT "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV" TO ROLE "CLIENT_ACME_GOOGLE_ADS_2024_RW";

-- spark:step 21 put_canonical
PUT 'file://.spark/staging/7d21aeba1e8f3f082bb579df2ed3cbf56e00fe6a29fffbd5df83bc72ebc1dc9d.csv.gz' @"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"/wave1/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
-- spark:step 21 put_raw
PUT 'file://examples/acme_google_ads_2024_wave1.csv' @"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"/raw/7d21aeba1e8f3f082bb579df2ed3cbf56e00fe6a29fffbd5df83bc72ebc1dc9d/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
-- spark:step 21 copy
COPY INTO "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSED_CAMPAIGN_DATA" ("TAG", "KAMPAGNE", "KAMPAGNENTYP", "IMPR", "KLICKS", "CTR", "WAHRUNGSCODE", "KOSTEN", "CONVERSIONS", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"/wave1/7d21aeba1e8f3f082bb579df2ed3cbf56e00fe6a29fffbd5df83bc72ebc1dc9d.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
-- spark:step 21 log_load
INSERT INTO "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED", "KEYS_UNMATCHED")
    SELECT 'PROCESSED_CAMPAIGN_DATA', 1, 'examples/acme_google_ads_2024_wave1.csv', '7d21aeba1e8f3f082bb579df2ed3cbf56e00fe6a29fffbd5df83bc72ebc1dc9d', 9, 93, '["TAG","KAMPAGNE","KAMPAGNENTYP","IMPR","KLICKS","CTR","WAHRUNGSCODE","KOSTEN","CONVERSIONS"]', 'LOADED', 1, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = '7d21aeba1e8f3f082bb579df2ed3cbf56e00fe6a29fffbd5df83bc72ebc1dc9d' AND "TABLE_NAME" = 'PROCESSED_CAMPAIGN_DATA' AND "STATUS" = 'LOADED');
