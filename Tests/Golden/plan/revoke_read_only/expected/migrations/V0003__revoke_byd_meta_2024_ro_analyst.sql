-- spark:migration {"client":"BYD","database":"SPARK_DB","description":"revoke_byd_meta_2024_ro_analyst","format":1,"platform":"META","schema":"CLIENT_BYD_META_2024","version":3,"wave":0,"year":2024}
-- spark:change {"change":{"access":"read-only","database":"SPARK_DB","role":"CLIENT_BYD_META_2024_RO","schema":"CLIENT_BYD_META_2024","user":"ANALYST"},"kind":"revoke_role_from_user"}
-- spark:end

-- spark:step 1 revoke_role_from_user
REVOKE ROLE "CLIENT_BYD_META_2024_RO" FROM USER "ANALYST";
