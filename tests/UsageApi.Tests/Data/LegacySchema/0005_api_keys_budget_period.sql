-- The period a key's budget_usd covers: 'daily' or 'monthly' (UTC calendar periods), or NULL for the key's whole life.
ALTER TABLE api_keys ADD COLUMN budget_period text CHECK (budget_period IN ('daily', 'monthly'));
