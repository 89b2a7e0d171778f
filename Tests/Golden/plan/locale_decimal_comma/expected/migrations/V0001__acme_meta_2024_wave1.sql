-- spark:migration {"client":"ACME","database":"SPARK_DB","description":"acme_meta_2024_wave1","format":1,"platform":"META","schema":"CLIENT_ACME_META_2024","version":1,"wave":1,"year":2024}
-- spark:change {"change":{"database":"SPARK_DB"},"kind":"create_database"}
-- spark:change {"change":{"client":"ACME","database":"SPARK_DB","platform":"META","schema":"CLIENT_ACME_META_2024","year":2024},"kind":"create_schema"}
-- spark:change {"change":{"columns":[{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"NAMING_KEYS","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_META_2024","table":"NAMING_KEYS"}},"kind":"create_table"}
-- spark:change {"change":{"columns":[{"name":"KAMPAGNENNAME","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Kampagnenname"},"type":"VARCHAR"},{"name":"BERICHTSBEGINN","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Berichtsbeginn"},"type":"DATE"},{"name":"BERICHTSENDE","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Berichtsende"},"type":"DATE"},{"name":"IMPRESSIONEN","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Impressionen"},"type":"NUMBER(38,0)"},{"name":"REICHWEITE","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Reichweite"},"type":"NUMBER(38,0)"},{"name":"AUSGEGEBENER_BETRAG_EUR","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Ausgegebener Betrag (EUR)"},"type":"NUMBER(38,2)"},{"name":"LINK_KLICKS","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Link-Klicks"},"type":"NUMBER(38,0)"},{"name":"CTR_LINK_KLICKRATE","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"CTR (Link-Klickrate)"},"type":"NUMBER(38,2)"},{"name":"KOSTEN_PRO_ERGEBNIS","provenance":{"firstFile":"data/acme/meta/2024/acme_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Kosten pro Ergebnis"},"type":"NUMBER(38,2)"},{"name":"SPARK_WAVE","type":"NUMBER(38,0)"},{"name":"SPARK_SOURCE_FILE","type":"VARCHAR"},{"name":"SPARK_FILE_SHA256","type":"VARCHAR(64)"},{"defaultExpression":"CURRENT_TIMESTAMP()","name":"SPARK_LOADED_AT","type":"TIMESTAMP_NTZ"}],"kind":"PROCESSED_CAMPAIGN_DATA","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_META_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"create_table"}
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
-- spark:change {"change":{"bytes":6525,"canonicalPath":".spark/staging/a1cd2cfff44350cedcb60ddf594a5242f0b55c36885237fa87c44adca345e38a.csv.gz","columns":[{"column":"KAMPAGNENNAME","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"Frühjahr 2024 – Köln, Düsseldorf"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":32,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Kampagnenname","sourceIndex":0},{"column":"BERICHTSBEGINN","columnType":"DATE","facts":{"dateFormat":"DD.MM.YYYY","evidence":{"line":2,"value":"01.03.2024"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Berichtsbeginn","sourceIndex":1},{"column":"BERICHTSENDE","columnType":"DATE","facts":{"dateFormat":"DD.MM.YYYY","evidence":{"line":2,"value":"07.03.2024"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Berichtsende","sourceIndex":2},{"column":"IMPRESSIONEN","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"1.524.209"},"formattedNumbers":true,"maxIntegerDigits":7,"maxLength":9,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Impressionen","sourceIndex":3},{"column":"REICHWEITE","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"756.396"},"formattedNumbers":true,"maxIntegerDigits":6,"maxLength":7,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Reichweite","sourceIndex":4},{"column":"AUSGEGEBENER_BETRAG_EUR","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":2,"value":"15.769,87"},"formattedNumbers":true,"maxIntegerDigits":5,"maxLength":9,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"Ausgegebener Betrag (EUR)","sourceIndex":5},{"column":"LINK_KLICKS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"18.460"},"formattedNumbers":true,"maxIntegerDigits":5,"maxLength":6,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Link-Klicks","sourceIndex":6},{"column":"CTR_LINK_KLICKRATE","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":2,"value":"1,21 %"},"formattedNumbers":false,"maxIntegerDigits":1,"maxLength":6,"maxScale":2,"percent":true},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"CTR (Link-Klickrate)","sourceIndex":7},{"column":"KOSTEN_PRO_ERGEBNIS","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":3,"value":"109,89 €"},"formattedNumbers":true,"maxIntegerDigits":4,"maxLength":10,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":14,"rawHeader":"Kosten pro Ergebnis","sourceIndex":8}],"constants":[{"column":"SPARK_WAVE","value":"1"},{"column":"SPARK_SOURCE_FILE","value":"data/acme/meta/2024/acme_meta_2024_wave1.csv"},{"column":"SPARK_FILE_SHA256","value":"a1cd2cfff44350cedcb60ddf594a5242f0b55c36885237fa87c44adca345e38a"}],"dialect":{"decimalSeparator":",","delimiter":59,"encoding":"utf-8-bom","headerLine":1},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"5c3a7af50fbf1a44afe22ec346fbe68f7ee1c0c26cbb7e6a229651acdc3297f6","path":"data/acme/meta/2024/acme_meta_2024_wave1.csv","rawStageFolder":"raw/a1cd2cfff44350cedcb60ddf594a5242f0b55c36885237fa87c44adca345e38a/","rows":64,"sha256":"a1cd2cfff44350cedcb60ddf594a5242f0b55c36885237fa87c44adca345e38a","stage":"CLIENT_ACME_META_2024_STAGE","stagePath":"wave1/a1cd2cfff44350cedcb60ddf594a5242f0b55c36885237fa87c44adca345e38a.csv.gz","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_META_2024","table":"PROCESSED_CAMPAIGN_DATA"},"wave":1},"kind":"load_file"}
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
    "KAMPAGNENNAME" VARCHAR COMMENT 'source header: Kampagnenname; first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "BERICHTSBEGINN" DATE COMMENT 'source header: Berichtsbeginn; first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "BERICHTSENDE" DATE COMMENT 'source header: Berichtsende; first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "IMPRESSIONEN" NUMBER(38,0) COMMENT 'source header: Impressionen; first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "REICHWEITE" NUMBER(38,0) COMMENT 'source header: Reichweite; first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "AUSGEGEBENER_BETRAG_EUR" NUMBER(38,2) COMMENT 'source header: Ausgegebener Betrag (EUR); first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "LINK_KLICKS" NUMBER(38,0) COMMENT 'source header: Link-Klicks; first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "CTR_LINK_KLICKRATE" NUMBER(38,2) COMMENT 'source header: CTR (Link-Klickrate); first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
    "KOSTEN_PRO_ERGEBNIS" NUMBER(38,2) COMMENT 'source header: Kosten pro Ergebnis; first file: data/acme/meta/2024/acme_meta_2024_wave1.csv; first wave: 1',
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
PUT 'file://.spark/staging/a1cd2cfff44350cedcb60ddf594a5242f0b55c36885237fa87c44adca345e38a.csv.gz' @"SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE"/wave1/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
-- spark:step 22 put_raw
PUT 'file://data/acme/meta/2024/acme_meta_2024_wave1.csv' @"SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE"/raw/a1cd2cfff44350cedcb60ddf594a5242f0b55c36885237fa87c44adca345e38a/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
-- spark:step 22 copy
COPY INTO "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSED_CAMPAIGN_DATA" ("KAMPAGNENNAME", "BERICHTSBEGINN", "BERICHTSENDE", "IMPRESSIONEN", "REICHWEITE", "AUSGEGEBENER_BETRAG_EUR", "LINK_KLICKS", "CTR_LINK_KLICKRATE", "KOSTEN_PRO_ERGEBNIS", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE"/wave1/a1cd2cfff44350cedcb60ddf594a5242f0b55c36885237fa87c44adca345e38a.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_ACME_META_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
-- spark:step 22 log_load
INSERT INTO "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED", "KEYS_UNMATCHED")
    SELECT 'PROCESSED_CAMPAIGN_DATA', 1, 'data/acme/meta/2024/acme_meta_2024_wave1.csv', 'a1cd2cfff44350cedcb60ddf594a5242f0b55c36885237fa87c44adca345e38a', 9, 64, '["KAMPAGNENNAME","BERICHTSBEGINN","BERICHTSENDE","IMPRESSIONEN","REICHWEITE","AUSGEGEBENER_BETRAG_EUR","LINK_KLICKS","CTR_LINK_KLICKRATE","KOSTEN_PRO_ERGEBNIS"]', 'LOADED', 0, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = 'a1cd2cfff44350cedcb60ddf594a5242f0b55c36885237fa87c44adca345e38a' AND "TABLE_NAME" = 'PROCESSED_CAMPAIGN_DATA' AND "STATUS" = 'LOADED');
