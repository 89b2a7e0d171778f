-- spark:migration {"client":"ACME","database":"SPARK_DB","description":"acme_google_ads_2024_wave3","format":1,"platform":"GOOGLE_ADS","schema":"CLIENT_ACME_GOOGLE_ADS_2024","version":1,"wave":3,"year":2024}
-- spark:change {"change":{"database":"SPARK_DB"},"kind":"create_database"}
-- spark:change {"change":{"client":"ACME","database":"SPARK_DB","platform":"GOOGLE_ADS","schema":"CLIENT_ACME_GOOGLE_ADS_2024","year":2024},"kind":"create_schema"}
-- spark:change {"change":{"columns":[{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"NAMING_KEYS","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_GOOGLE_ADS_2024","table":"NAMING_KEYS"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"name":"DATE","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv","firstWave":3,"rawHeader":"Date"},"type":"DATE"},{"name":"CAMPAIGN_NAME","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv","firstWave":3,"rawHeader":"Campaign name"},"type":"VARCHAR"},{"name":"AD_SET_NAME","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv","firstWave":3,"rawHeader":"Ad set name"},"type":"VARCHAR"},{"name":"IMPRESSIONS","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv","firstWave":3,"rawHeader":"Impressions"},"type":"NUMBER(38,0)"},{"name":"REACH","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv","firstWave":3,"rawHeader":"Reach"},"type":"NUMBER(38,0)"},{"name":"CLICKS","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv","firstWave":3,"rawHeader":"Clicks"},"type":"NUMBER(38,0)"},{"name":"AMOUNT_SPENT_USD","provenance":{"firstFile":"data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv","firstWave":3,"rawHeader":"Amount spent (USD)"},"type":"NUMBER(38,2)"},{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"PROCESSED_CAMPAIGN_DATA","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_GOOGLE_ADS_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"create_table"}
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
-- spark:change {"change":{"bytes":275,"canonicalPath":".spark/staging/2416c02081df69f83f1910ad8c845f6217009e70a46ae2043d406117bfdeb023.csv.gz","columns":[{"column":"DATE","columnType":"DATE","facts":{"dateFormat":"YYYY-MM-DD","evidence":{"line":2,"value":"2024-03-01"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Date","sourceIndex":0},{"column":"CAMPAIGN_NAME","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"BYD_SEAL_2024_Q1"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":19,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Campaign name","sourceIndex":1},{"column":"AD_SET_NAME","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"Prospecting 25-44"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":17,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Ad set name","sourceIndex":2},{"column":"IMPRESSIONS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"12450"},"formattedNumbers":false,"maxIntegerDigits":5,"maxLength":5,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Impressions","sourceIndex":3},{"column":"REACH","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"9800"},"formattedNumbers":false,"maxIntegerDigits":5,"maxLength":5,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Reach","sourceIndex":4},{"column":"CLICKS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"311"},"formattedNumbers":false,"maxIntegerDigits":3,"maxLength":3,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Clicks","sourceIndex":5},{"column":"AMOUNT_SPENT_USD","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":2,"value":"152.40"},"formattedNumbers":false,"maxIntegerDigits":3,"maxLength":6,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"Amount spent (USD)","sourceIndex":6}],"constants":[{"column":"SPARK_WAVE","value":"3"},{"column":"SPARK_SOURCE_FILE","value":"data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv"},{"column":"SPARK_FILE_SHA256","value":"2416c02081df69f83f1910ad8c845f6217009e70a46ae2043d406117bfdeb023"}],"dialect":{"decimalSeparator":".","delimiter":44,"encoding":"utf-8","headerLine":1},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"23090ba77d2d15b0309bc458eff2e8fc3c71a19de8211c4d6666409962bb8313","path":"data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv","rawStageFolder":"raw/2416c02081df69f83f1910ad8c845f6217009e70a46ae2043d406117bfdeb023/","rows":3,"sha256":"2416c02081df69f83f1910ad8c845f6217009e70a46ae2043d406117bfdeb023","stage":"CLIENT_ACME_GOOGLE_ADS_2024_STAGE","stagePath":"wave3/2416c02081df69f83f1910ad8c845f6217009e70a46ae2043d406117bfdeb023.csv.gz","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_GOOGLE_ADS_2024","table":"PROCESSED_CAMPAIGN_DATA"},"wave":3},"kind":"load_file"}
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
    "DATE" DATE COMMENT 'source header: Date; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv; first wave: 3',
    "CAMPAIGN_NAME" VARCHAR COMMENT 'source header: Campaign name; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv; first wave: 3',
    "AD_SET_NAME" VARCHAR COMMENT 'source header: Ad set name; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv; first wave: 3',
    "IMPRESSIONS" NUMBER(38,0) COMMENT 'source header: Impressions; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv; first wave: 3',
    "REACH" NUMBER(38,0) COMMENT 'source header: Reach; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv; first wave: 3',
    "CLICKS" NUMBER(38,0) COMMENT 'source header: Clicks; first file: data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv; first wave: 3',
    "AMOUNT_SPENT_USD" NUMBER(38,2) COMMENT 'source header: Amount spent (USD); first file: data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv; first wave: 3',
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
PUT 'file://.spark/staging/2416c02081df69f83f1910ad8c845f6217009e70a46ae2043d406117bfdeb023.csv.gz' @"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"/wave3/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
-- spark:step 22 put_raw
PUT 'file://data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv' @"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"/raw/2416c02081df69f83f1910ad8c845f6217009e70a46ae2043d406117bfdeb023/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
-- spark:step 22 copy
COPY INTO "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSED_CAMPAIGN_DATA" ("DATE", "CAMPAIGN_NAME", "AD_SET_NAME", "IMPRESSIONS", "REACH", "CLICKS", "AMOUNT_SPENT_USD", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."CLIENT_ACME_GOOGLE_ADS_2024_STAGE"/wave3/2416c02081df69f83f1910ad8c845f6217009e70a46ae2043d406117bfdeb023.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
-- spark:step 22 log_load
INSERT INTO "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED", "KEYS_UNMATCHED")
    SELECT 'PROCESSED_CAMPAIGN_DATA', 3, 'data/acme/google_ads/2024/acme_google_ads_2024_wave3.csv', '2416c02081df69f83f1910ad8c845f6217009e70a46ae2043d406117bfdeb023', 7, 3, '["DATE","CAMPAIGN_NAME","AD_SET_NAME","IMPRESSIONS","REACH","CLICKS","AMOUNT_SPENT_USD"]', 'LOADED', 0, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_ACME_GOOGLE_ADS_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = '2416c02081df69f83f1910ad8c845f6217009e70a46ae2043d406117bfdeb023' AND "TABLE_NAME" = 'PROCESSED_CAMPAIGN_DATA' AND "STATUS" = 'LOADED');
