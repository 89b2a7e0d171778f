-- spark:migration {"client":"BYD","database":"SPARK_DB","description":"byd_meta_2024_wave2","format":1,"platform":"META","schema":"CLIENT_BYD_META_2024","version":2,"wave":2,"year":2024}
-- spark:change {"change":{"column":"AMOUNT_SPENT_USD","evidence":{"line":3,"value":"199.75"},"file":"data/byd/meta/2024/byd_meta_2024_wave2.csv","from":"NUMBER(38,0)","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"PROCESSED_CAMPAIGN_DATA"},"temporaryName":"AMOUNT_SPENT_USD__SPARK_REWRITE","to":"NUMBER(38,2)"},"kind":"rewrite_column"}
-- spark:change {"change":{"bytes":169,"canonicalPath":".spark/staging/9968cbe91a7d46708f61dfd95b153eb16ac9feac889bbccb2fe76cdd527ed49f.csv.gz","columns":[{"column":"DATE","columnType":"DATE","facts":{"dateFormat":"YYYY-MM-DD","evidence":{"line":2,"value":"2024-04-01"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Date","sourceIndex":0},{"column":"CAMPAIGN_NAME","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"BYD_SEAL_2024_Q2"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":16,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Campaign name","sourceIndex":1},{"column":"IMPRESSIONS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"15500"},"formattedNumbers":false,"maxIntegerDigits":5,"maxLength":5,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Impressions","sourceIndex":2},{"column":"AMOUNT_SPENT_USD","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":3,"value":"199.75"},"formattedNumbers":false,"maxIntegerDigits":3,"maxLength":6,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"Amount spent (USD)","sourceIndex":3}],"constants":[{"column":"SPARK_WAVE","value":"2"},{"column":"SPARK_SOURCE_FILE","value":"data/byd/meta/2024/byd_meta_2024_wave2.csv"},{"column":"SPARK_FILE_SHA256","value":"9968cbe91a7d46708f61dfd95b153eb16ac9feac889bbccb2fe76cdd527ed49f"}],"dialect":{"decimalSeparator":".","delimiter":44,"encoding":"utf-8","headerLine":1},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"9488b00dbc5e954ae99cff79b3943b5f7f87e640ae1e8014cab55edb2f669825","path":"data/byd/meta/2024/byd_meta_2024_wave2.csv","rawStageFolder":"raw/9968cbe91a7d46708f61dfd95b153eb16ac9feac889bbccb2fe76cdd527ed49f/","rows":3,"sha256":"9968cbe91a7d46708f61dfd95b153eb16ac9feac889bbccb2fe76cdd527ed49f","stage":"CLIENT_BYD_META_2024_STAGE","stagePath":"wave2/9968cbe91a7d46708f61dfd95b153eb16ac9feac889bbccb2fe76cdd527ed49f.csv.gz","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"PROCESSED_CAMPAIGN_DATA"},"wave":2},"kind":"load_file"}
-- spark:end

-- spark:step 1 rewrite_add
ALTER TABLE "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" ADD COLUMN IF NOT EXISTS "AMOUNT_SPENT_USD__SPARK_REWRITE" NUMBER(38,2);
-- spark:step 1 rewrite_fill
UPDATE "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" SET "AMOUNT_SPENT_USD__SPARK_REWRITE" = CAST("AMOUNT_SPENT_USD" AS NUMBER(38,2));
-- spark:step 1 rewrite_drop
ALTER TABLE "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" DROP COLUMN IF EXISTS "AMOUNT_SPENT_USD";
-- spark:step 1 rewrite_rename
ALTER TABLE "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" RENAME COLUMN "AMOUNT_SPENT_USD__SPARK_REWRITE" TO "AMOUNT_SPENT_USD";

-- spark:step 2 put_canonical
PUT 'file://.spark/staging/9968cbe91a7d46708f61dfd95b153eb16ac9feac889bbccb2fe76cdd527ed49f.csv.gz' @"SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/wave2/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
-- spark:step 2 put_raw
PUT 'file://data/byd/meta/2024/byd_meta_2024_wave2.csv' @"SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/raw/9968cbe91a7d46708f61dfd95b153eb16ac9feac889bbccb2fe76cdd527ed49f/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
-- spark:step 2 copy
COPY INTO "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" ("DATE", "CAMPAIGN_NAME", "IMPRESSIONS", "AMOUNT_SPENT_USD", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/wave2/9968cbe91a7d46708f61dfd95b153eb16ac9feac889bbccb2fe76cdd527ed49f.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_BYD_META_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
-- spark:step 2 log_load
INSERT INTO "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED", "KEYS_UNMATCHED")
    SELECT 'PROCESSED_CAMPAIGN_DATA', 2, 'data/byd/meta/2024/byd_meta_2024_wave2.csv', '9968cbe91a7d46708f61dfd95b153eb16ac9feac889bbccb2fe76cdd527ed49f', 4, 3, '["DATE","CAMPAIGN_NAME","IMPRESSIONS","AMOUNT_SPENT_USD"]', 'LOADED', 0, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = '9968cbe91a7d46708f61dfd95b153eb16ac9feac889bbccb2fe76cdd527ed49f' AND "TABLE_NAME" = 'PROCESSED_CAMPAIGN_DATA' AND "STATUS" = 'LOADED');
