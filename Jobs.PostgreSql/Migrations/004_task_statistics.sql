-- Jobs schema, version 4: the figures of expired jobs per UTC day and task, so IMonitoringApi.GetTaskStatisticsAsync
-- stays complete whatever JobRetention is. Applied by PostgreSqlMigrator like 001; {{schema}} is replaced by the quoted
-- schema name. Never edit after release.

-- Written only by expiration (PostgreSqlQueries.DeleteExpired): in the statement that deletes a batch of jobs, the
-- deleted jobs that had succeeded or failed are added here (INSERT … ON CONFLICT), so a job counts either as a row of
-- job or in this table, never both and never neither. Nothing is written when a job finishes. The same statement drops
-- the days older than PostgreSqlStorageOptions.TaskStatisticsRetention, which keeps the table at a few rows per task
-- and day. A task is what the live statistics group by: (type, method, recurring job).
CREATE TABLE IF NOT EXISTS {{schema}}.task_statistics_daily (
  day                date    NOT NULL,  -- the UTC day the runs finished (entered Succeeded or Failed)
  type               text    NOT NULL,
  method             text    NOT NULL,
  recurring_job_id   text    NOT NULL,  -- '' for jobs created directly (a primary key column cannot be null)
  succeeded          bigint  NOT NULL,
  failed             bigint  NOT NULL,
  timed              bigint  NOT NULL,  -- succeeded runs with a recorded duration, the divisor of the average
  total_duration_ms  numeric NOT NULL,  -- sum of those durations
  max_duration_ms    bigint,            -- the longest of them; null when none was timed
  PRIMARY KEY (day, type, method, recurring_job_id)
);
