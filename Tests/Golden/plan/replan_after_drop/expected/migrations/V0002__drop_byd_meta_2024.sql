-- spark:migration {"client":"BYD","database":"SPARK_DB","description":"drop_byd_meta_2024","format":1,"platform":"META","schema":"CLIENT_BYD_META_2024","version":2,"wave":0,"year":2024}
-- spark:change {"change":{"database":"SPARK_DB","roles":["CLIENT_BYD_META_2024_RO","CLIENT_BYD_META_2024_RW"],"schema":"CLIENT_BYD_META_2024"},"kind":"drop_schema"}
-- spark:end

-- spark:step 1 drop_schema
DROP SCHEMA IF EXISTS "SPARK_DB"."CLIENT_BYD_META_2024" CASCADE;
-- spark:step 1 drop_role
DROP ROLE IF EXISTS "CLIENT_BYD_META_2024_RO";
-- spark:step 1 drop_role
DROP ROLE IF EXISTS "CLIENT_BYD_META_2024_RW";
