-- spark:migration {"client":"BYD","database":"SPARK_DB","description":"grant_byd_meta_2024_rw_jane_doe_agency_com","format":1,"platform":"META","schema":"CLIENT_BYD_META_2024","version":2,"wave":0,"year":2024}
-- spark:change {"change":{"access":"read-write","database":"SPARK_DB","role":"CLIENT_BYD_META_2024_RW","schema":"CLIENT_BYD_META_2024","user":"jane.doe@agency.com"},"kind":"grant_role_to_user"}
-- spark:end

-- spark:step 1 grant_role_to_user
GRANT ROLE "CLIENT_BYD_META_2024_RW" TO USER "jane.doe@agency.com";
