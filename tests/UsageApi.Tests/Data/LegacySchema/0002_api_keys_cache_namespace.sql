-- A key's response-cache namespace: keys that share one share cached answers; NULL keeps the key's answers to itself.
ALTER TABLE api_keys ADD COLUMN cache_namespace text;

-- Incremented on every change of a key. Redis records carry it (in a side key), so that a late write of an older
-- state (a retry, a start-up re-sync racing with a revocation) can never overwrite a newer one.
ALTER TABLE api_keys ADD COLUMN version bigint NOT NULL DEFAULT 1;
