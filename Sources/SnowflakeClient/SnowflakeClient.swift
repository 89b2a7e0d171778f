// SnowflakeClient: not built yet.
