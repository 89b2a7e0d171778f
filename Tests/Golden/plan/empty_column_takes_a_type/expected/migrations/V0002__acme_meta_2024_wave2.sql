-- spark:migration {"client":"ACME","database":"SPARK_DB","description":"acme_meta_2024_wave2","format":1,"platform":"META","schema":"CLIENT_ACME_META_2024","version":2,"wave":2,"year":2024}
-- spark:change {"change":{"column":"VIDEO_PLAYS","evidence":{"line":2,"value":"120"},"file":"data/acme/meta/2024/acme_meta_2024_wave2.csv","from":"VARCHAR","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_META_2024","table":"PROCESSED_CAMPAIGN_DATA"},"temporaryName":"VIDEO_PLAYS__SPARK_REWRITE","to":"NUMBER(38,0)"},"kind":"rewrite_column"}
-- spark:change {"change":{"bytes":58,"canonicalPath":".spark/staging/e709a0c2e4954ed74f2d078e87e34488271d36e84a22e1051619b9bc1caed23b.csv.gz","columns":[{"column":"CAMPAIGN","columnType":"VARCHAR","facts":{"evidence":{"line":2,"value":"C"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":1,"maxScale":0,"percent":false},"inferredType":"VARCHAR","nulls":0,"rawHeader":"Campaign","sourceIndex":0},{"column":"DAY","columnType":"DATE","facts":{"dateFormat":"YYYY-MM-DD","evidence":{"line":2,"value":"2024-03-03"},"formattedNumbers":false,"maxIntegerDigits":0,"maxLength":10,"maxScale":0,"percent":false},"inferredType":"DATE","nulls":0,"rawHeader":"Day","sourceIndex":1},{"column":"VIDEO_PLAYS","columnType":"NUMBER(38,0)","facts":{"evidence":{"line":2,"value":"120"},"formattedNumbers":false,"maxIntegerDigits":3,"maxLength":3,"maxScale":0,"percent":false},"inferredType":"NUMBER(38,0)","nulls":0,"rawHeader":"Video plays","sourceIndex":2}],"constants":[{"column":"SPARK_WAVE","value":"2"},{"column":"SPARK_SOURCE_FILE","value":"data/acme/meta/2024/acme_meta_2024_wave2.csv"},{"column":"SPARK_FILE_SHA256","value":"e709a0c2e4954ed74f2d078e87e34488271d36e84a22e1051619b9bc1caed23b"}],"dialect":{"delimiter":44,"encoding":"utf-8","headerLine":1},"fileFormat":"SPARK_CANONICAL_CSV","fingerprint":"7bfd2326d7feaf60c45a91e8e35973dddac5adb1fb1ca10e68f0bca835873432","path":"data/acme/meta/2024/acme_meta_2024_wave2.csv","rawStageFolder":"raw/e709a0c2e4954ed74f2d078e87e34488271d36e84a22e1051619b9bc1caed23b/","rows":2,"sha256":"e709a0c2e4954ed74f2d078e87e34488271d36e84a22e1051619b9bc1caed23b","stage":"CLIENT_ACME_META_2024_STAGE","stagePath":"wave2/e709a0c2e4954ed74f2d078e87e34488271d36e84a22e1051619b9bc1caed23b.csv.gz","table":{"database":"SPARK_DB","schema":"CLIENT_ACME_META_2024","table":"PROCESSED_CAMPAIGN_DATA"},"wave":2},"kind":"load_file"}
-- spark:end

-- spark:step 1 rewrite_add
ALTER TABLE "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSED_CAMPAIGN_DATA" ADD COLUMN IF NOT EXISTS "VIDEO_PLAYS__SPARK_REWRITE" NUMBER(38,0);
-- spark:step 1 rewrite_fill
UPDATE "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSED_CAMPAIGN_DATA" SET "VIDEO_PLAYS__SPARK_REWRITE" = CAST("VIDEO_PLAYS" AS NUMBER(38,0));
-- spark:step 1 rewrite_drop
ALTER TABLE "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSED_CAMPAIGN_DATA" DROP COLUMN IF EXISTS "VIDEO_PLAYS";
-- spark:step 1 rewrite_rename
ALTER TABLE "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSED_CAMPAIGN_DATA" RENAME COLUMN "VIDEO_PLAYS__SPARK_REWRITE" TO "VIDEO_PLAYS";

-- spark:step 2 put_canonical
PUT 'file://.spark/staging/e709a0c2e4954ed74f2d078e87e34488271d36e84a22e1051619b9bc1caed23b.csv.gz' @"SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE"/wave2/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
-- spark:step 2 put_raw
PUT 'file://data/acme/meta/2024/acme_meta_2024_wave2.csv' @"SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE"/raw/e709a0c2e4954ed74f2d078e87e34488271d36e84a22e1051619b9bc1caed23b/ AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
-- spark:step 2 copy
COPY INTO "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSED_CAMPAIGN_DATA" ("CAMPAIGN", "DAY", "VIDEO_PLAYS", "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256")
    FROM @"SPARK_DB"."CLIENT_ACME_META_2024"."CLIENT_ACME_META_2024_STAGE"/wave2/e709a0c2e4954ed74f2d078e87e34488271d36e84a22e1051619b9bc1caed23b.csv.gz
    FILE_FORMAT = (FORMAT_NAME = '"SPARK_DB"."CLIENT_ACME_META_2024"."SPARK_CANONICAL_CSV"')
    ON_ERROR = ABORT_STATEMENT;
-- spark:step 2 log_load
INSERT INTO "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSING_LOG" ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "COLUMN_NAMES", "STATUS", "ROWS_SUMMARY", "ROWS_REJECTED", "KEYS_UNMATCHED")
    SELECT 'PROCESSED_CAMPAIGN_DATA', 2, 'data/acme/meta/2024/acme_meta_2024_wave2.csv', 'e709a0c2e4954ed74f2d078e87e34488271d36e84a22e1051619b9bc1caed23b', 3, 2, '["CAMPAIGN","DAY","VIDEO_PLAYS"]', 'LOADED', 0, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM "SPARK_DB"."CLIENT_ACME_META_2024"."PROCESSING_LOG" WHERE "FILE_SHA256" = 'e709a0c2e4954ed74f2d078e87e34488271d36e84a22e1051619b9bc1caed23b' AND "TABLE_NAME" = 'PROCESSED_CAMPAIGN_DATA' AND "STATUS" = 'LOADED');
