-- Virtual API keys. Only a SHA-256 hash of each key is kept; the plain key is shown once, at creation.
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    name          text        NOT NULL,
    key_hash      bytea       NOT NULL UNIQUE,
    key_prefix    text        NOT NULL,
    rpm           integer     CHECK (rpm IS NULL OR rpm > 0),
    tpm           integer     CHECK (tpm IS NULL OR tpm > 0),
    budget_usd    numeric(18, 6) CHECK (budget_usd IS NULL OR budget_usd >= 0),
    models        text[]      NOT NULL DEFAULT '{}',
    expires_at    timestamptz,
    metadata      jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);

CREATE INDEX api_keys_active_idx ON api_keys (created_at DESC) WHERE revoked_at IS NULL;
