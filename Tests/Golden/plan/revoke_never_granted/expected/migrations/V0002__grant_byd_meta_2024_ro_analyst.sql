-- spark:migration {"client":"BYD","database":"SPARK_DB","description":"grant_byd_meta_2024_ro_analyst","format":1,"platform":"META","schema":"CLIENT_BYD_META_2024","version":2,"wave":0,"year":2024}
-- spark:change {"change":{"access":"read-only","database":"SPARK_DB","role":"CLIENT_BYD_META_2024_RO","schema":"CLIENT_BYD_META_2024","user":"ANALYST"},"kind":"grant_role_to_user"}
-- spark:end

-- spark:step 1 grant_role_to_user
GRANT ROLE "CLIENT_BYD_META_2024_RO" TO USER "ANALYST";
