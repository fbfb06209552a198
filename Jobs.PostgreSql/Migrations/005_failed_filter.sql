-- Jobs schema, version 5: the dashboard's filter of the Failed list (PostgreSqlMonitoringQueries.FailedMatch) looks
-- matches up instead of testing every Failed job. Applied by PostgreSqlMigrator like 001; {{schema}} is replaced by the
-- quoted schema name. Never edit after release.

-- Partial trigram indexes over Failed jobs only, so jobs that never fail cost nothing here. The expressions must stay
-- exactly those of FailedMatch, or the planner cannot use them: the shown name (type without namespace, assembly or
-- generic arguments, a dot, the method) and the exception type of the Failed state.
CREATE INDEX IF NOT EXISTS job_failed_name_trgm_ix ON {{schema}}.job
  USING gin ((regexp_replace(split_part(split_part(type, ',', 1), '[', 1), '^.*[.+]', '') || '.' || method) gin_trgm_ops)
  WHERE state = 'Failed';

CREATE INDEX IF NOT EXISTS job_failed_exception_trgm_ix ON {{schema}}.job
  USING gin ((state_data->>'ExceptionType') gin_trgm_ops)
  WHERE state = 'Failed';
