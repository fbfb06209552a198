-- Example application schema: the tables of the application database (ConnectionStrings:App) that the
-- tasks of Jobs.Tasks work on. Unqualified names: run it with the search_path set to the target schema.
-- Idempotent, so it can run on every start.

CREATE TABLE IF NOT EXISTS sessions (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     bigint      NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

-- cleanup-expired-sessions finds its rows by expiry; without this index every batch scans the table.
CREATE INDEX IF NOT EXISTS sessions_expires_at_idx ON sessions (expires_at);
