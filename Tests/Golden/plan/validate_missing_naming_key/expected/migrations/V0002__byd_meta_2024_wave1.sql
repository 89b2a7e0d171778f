-- spark:migration {"client":"BYD","database":"SPARK_DB","description":"byd_meta_2024_wave1","format":1,"platform":"META","schema":"CLIENT_BYD_META_2024","version":2,"wave":1,"year":2024}
-- spark:change {"change":{"column":{"name":"DATE","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Date"},"type":"DATE"},"table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"add_column"}
-- spark:change {"change":{"column":{"name":"NAMING_KEY","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Naming key"},"type":"VARCHAR"},"table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"add_column"}
-- spark:change {"change":{"column":{"name":"IMPRESSIONS","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Impressions"},"type":"NUMBER(38,0)"},"table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"add_column"}
-- spark:change {"change":{"column":{"name":"AMOUNT_SPENT_USD","provenance":{"firstFile":"data/byd/meta/2024/byd_meta_2024_wave1.csv","firstWave":1,"rawHeader":"Amount spent (USD)"},"type":"NUMBER(38,2)"},"table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"PROCESSED_CAMPAIGN_DATA"}},"kind":"add_column"}
-- spark:change {"change":{"bytes":122,"canonicalPath":".spark/staging/3235bc197670e30b9d4b5529982b67dc09131df5b31d3c869454500222483b87.csv.gz","columns":[{"column":"DATE","columnType":"DATE","facts":{"dateFormat":"YYYY-MM-DD","evidence":{"line":2,"value":"2024-03-01"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Date","sourceIndex":0},{"column":"NAMING_KEY","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"BYD-SEAL-Q1"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":14,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Naming key","sourceIndex":1},{"column":"IMPRESSIONS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"12450"},"formattedNumbers":false,"maxIntegerDigits":5,"maxLength":5,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Impressions","sourceIndex":2},{"column":"AMOUNT_SPENT_USD","columnType":"NUMBER(38,2)","facts":{"evidence":{"line":2,"value":"152.40"},"formattedNumbers":false,"maxIntegerDigits":3,"maxLength":6,"maxScale":2,"percent":false},"inferredType":"NUMBER(38,2)","nulls":0,"rawHeader":"Amount spent (USD)","sourceIndex":3}],"constants":[{"column":"SPARK_WAVE","value":"1"},{"column":"SPARK_SOURCE_FILE","value":"data/byd/meta/2024/byd_meta_2024_wave1.csv"},{"column":"SPARK_FILE_SHA256","value":"3235bc197670e30b9d4b5529982b67dc09131df5b31d3c869454500222483b87"}],"dialect":{"decimalSeparator":".","delimiter":44,"encoding":"utf-8","headerLine":1},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"8e410d01252b1915322c3d1ce5090542b8c38aa5eb19fda769fc71afce3ce846","path":"data/byd/meta/2024/byd_meta_2024_wave1.csv","rawStageFolder":"raw/3235bc197670e30b9d4b5529982b67dc09131df5b31d3c869454500222483b87/","rows":2,"sha256":"3235bc197670e30b9d4b5529982b67dc09131df5b31d3c869454500222483b87","stage":"CLIENT_BYD_META_2024_STAGE","stagePath":"wave1/3235bc197670e30b9d4b5529982b67dc09131df5b31d3c869454500222483b87.csv.gz","table":{"database":"SPARK_DB","schema":"CLIENT_BYD_META_2024","table":"PROCESSED_CAMPAIGN_DATA"},"wave":1},"kind":"load_file"}
-- spark:end

-- spark:step 1 add_column
ALTER TABLE "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" ADD COLUMN IF NOT EXISTS "DATE" DATE COMMENT 'source header: Date; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1';

-- spark:step 2 add_column
ALTER TABLE "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" ADD COLUMN IF NOT EXISTS "NAMING_KEY" VARCHAR COMMENT 'source header: Naming key; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1';

-- spark:step 3 add_column
ALTER TABLE "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" ADD COLUMN IF NOT EXISTS "IMPRESSIONS" NUMBER(38,0) COMMENT 'source header: Impressions; first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1';

-- spark:step 4 add_column
ALTER TABLE "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" ADD COLUMN IF NOT EXISTS "AMOUNT_SPENT_USD" NUMBER(38,2) COMMENT 'source header: Amount spent (USD); first file: data/byd/meta/2024/byd_meta_2024_wave1.csv; first wave: 1';

-- spark:step 5 put_canonical
PUT 'file://.spark/staging/3235bc197670e30b9d4b5529982b67dc09131df5b31d3c869454500222483b87.csv.gz' @"SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/wave1/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
-- spark:step 5 put_raw
PUT 'file://data/byd/meta/2024/byd_meta_2024_wave1.csv' @"SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/raw/3235bc197670e30b9d4b5529982b67dc09131df5b31d3c869454500222483b87/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
-- spark:step 5 copy
COPY INTO "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSED_CAMPAIGN_DATA" ("DATE", "NAMING_KEY", "IMPRESSIONS", "AMOUNT_SPENT_USD", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_BYD_META_2024"."CLIENT_BYD_META_2024_STAGE"/wave1/3235bc197670e30b9d4b5529982b67dc09131df5b31d3c869454500222483b87.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_BYD_META_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
-- spark:step 5 log_load
INSERT INTO "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED", "KEYS_UNMATCHED")
    SELECT 'PROCESSED_CAMPAIGN_DATA', 1, 'data/byd/meta/2024/byd_meta_2024_wave1.csv', '3235bc197670e30b9d4b5529982b67dc09131df5b31d3c869454500222483b87', 4, 2, '["DATE","NAMING_KEY","IMPRESSIONS","AMOUNT_SPENT_USD"]', 'LOADED', 0, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_BYD_META_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = '3235bc197670e30b9d4b5529982b67dc09131df5b31d3c869454500222483b87' AND "TABLE_NAME" = 'PROCESSED_CAMPAIGN_DATA' AND "STATUS" = 'LOADED');
