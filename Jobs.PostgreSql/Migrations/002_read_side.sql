-- Jobs schema, version 2: indexes the dashboard's read side needs (PostgreSqlMonitoringApi). Applied by
-- PostgreSqlMigrator like 001; {{schema}} is replaced by the quoted schema name. Never edit after release.

-- Retries page (soonest first) and the retries count: Scheduled jobs waiting for another attempt.
-- job_scheduled_ix holds every Scheduled job; filtering it by retry_count would read each one's row.
CREATE INDEX IF NOT EXISTS job_retries_ix ON {{schema}}.job (scheduled_at, id) WHERE state = 'Scheduled' AND retry_count > 0;

-- Search by name: the distinct (method, type) pairs are walked one index descent each, and a matching pair's
-- newest jobs are read backwards from the same index. It serves everything job_method_ix (method, type) did,
-- plus the newest-first order, so it replaces it rather than adding a second index to every insert.
CREATE INDEX IF NOT EXISTS job_kind_ix ON {{schema}}.job (method, type, id);
DROP INDEX IF EXISTS {{schema}}.job_method_ix;
