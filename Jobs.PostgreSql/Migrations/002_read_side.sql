-- Jobs schema, version 2: indexes the dashboard's read side needs (PostgreSqlMonitoringApi). Applied by
-- PostgreSqlMigrator like 001; {{schema}} is replaced by the quoted schema name. Never edit after release.

-- Retries page, soonest first: Scheduled jobs waiting for another attempt. job_scheduled_ix holds every
-- Scheduled job; taking a page of retries from it would read the row of each plain scheduled job before it.
CREATE INDEX IF NOT EXISTS job_retries_ix ON {{schema}}.job (scheduled_at, id) WHERE state = 'Scheduled' AND retry_count > 0;
