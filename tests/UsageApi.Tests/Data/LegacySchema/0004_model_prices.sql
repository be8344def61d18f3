-- Prices per million tokens, in USD, by model name as the Gateway reports it (served model, else requested model).
-- The ledger computes each record's cost from this table when the record is ingested.
CREATE TABLE model_prices (
    model                  text           PRIMARY KEY,
    input_per_million_usd  numeric(18, 9) NOT NULL CHECK (input_per_million_usd >= 0),
    output_per_million_usd numeric(18, 9) NOT NULL CHECK (output_per_million_usd >= 0),
    updated_at             timestamptz    NOT NULL DEFAULT now()
);

-- Bumped in the same transaction as every change of model_prices. The Redis copy (hash aig:prices) is rewritten whole
-- with this version, so that a late rewrite of an older table can never replace a newer one.
CREATE TABLE model_prices_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint  NOT NULL
);
INSERT INTO model_prices_version (version) VALUES (1);

-- The simulator is free; the others are the providers' list prices (USD per 1M tokens) when this was written.
INSERT INTO model_prices (model, input_per_million_usd, output_per_million_usd) VALUES
    ('sim',                     0,     0),
    ('gpt-4o-mini',             0.15,  0.60),
    ('gpt-4o',                  2.50, 10.00),
    ('gpt-4.1',                 2.00,  8.00),
    ('gpt-4.1-mini',            0.40,  1.60),
    ('gpt-4.1-nano',            0.10,  0.40),
    ('text-embedding-3-small',  0.02,  0),
    ('text-embedding-3-large',  0.13,  0);
