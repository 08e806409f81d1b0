//! Background jobs, kept in the database so that any instance may run them and any
//! instance may answer for them: enqueue, read, claim, heartbeat, finish, release.
//!
//! A worker claims the oldest `queued` job, or a `running` job whose heartbeat is older
//! than the lease (its worker stopped: crashed, killed, or the machine went away), so a job
//! interrupted by a crash is picked up again after a restart. Every claim counts an
//! attempt; a job whose worker stopped `MAX_JOB_ATTEMPTS` times is failed instead of
//! claimed again. Heartbeats and the finish only apply while the worker still holds its
//! claim, so a worker that lost its lease cannot overwrite what the new holder does.

use std::time::Duration;

use cohort_core::api::{Job, JobStatus};
use cohort_core::time::{Micros, from_micros};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};

use crate::sql::Sql;
use crate::{BotScope, Store, StoreError, parse_id};

/// Every status a job can be in, in the order `job_counts` lists them.
const JOB_STATUSES: [JobStatus; 5] = [
    JobStatus::Queued,
    JobStatus::Running,
    JobStatus::Succeeded,
    JobStatus::Failed,
    JobStatus::Cancelled,
];

/// How many times a job is claimed before it is given up.
pub const MAX_JOB_ATTEMPTS: i64 = 3;

/// A job a worker holds: what to run, for which bot, and the claim that later heartbeats
/// and the finish must match.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub(crate) id: i64,
    bot: BotScope,
    kind: String,
    payload: serde_json::Value,
    attempts: i64,
    worker_id: String,
}

impl ClaimedJob {
    /// The job's opaque id.
    pub fn id(&self) -> String {
        self.id.to_string()
    }

    /// The bot the job works on.
    pub fn bot(&self) -> BotScope {
        self.bot
    }

    /// What the job does, e.g. `refresh_stats`.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The job's input, as it was enqueued.
    pub fn payload(&self) -> &serde_json::Value {
        &self.payload
    }

    /// Which claim of the job this is: 1 the first time, more after a worker stopped.
    pub fn attempts(&self) -> i64 {
        self.attempts
    }
}

#[derive(FromQueryResult)]
struct JobRow {
    id: i64,
    kind: String,
    status: String,
    progress: f64,
    error: Option<String>,
    created_at: i64,
    started_at: Option<i64>,
    finished_at: Option<i64>,
}

impl From<JobRow> for Job {
    fn from(row: JobRow) -> Self {
        Job {
            id: row.id.to_string(),
            kind: row.kind,
            // Only this module writes statuses; anything else would be a broken row.
            status: JobStatus::parse(&row.status).unwrap_or(JobStatus::Failed),
            progress: row.progress.clamp(0.0, 1.0),
            error: row.error,
            created_at: from_micros(row.created_at),
            started_at: row.started_at.map(from_micros),
            finished_at: row.finished_at.map(from_micros),
        }
    }
}

#[derive(FromQueryResult)]
struct IdRow {
    id: i64,
}

#[derive(FromQueryResult)]
struct ClaimRow {
    id: i64,
    bot_id: i64,
    workspace_id: Option<i64>,
    kind: String,
    payload: String,
    attempts: i64,
}

impl Store {
    /// Queues a job of `kind` for `bot`, with its input.
    pub async fn enqueue_job(
        &self,
        bot: BotScope,
        kind: &str,
        payload: &serde_json::Value,
        now: Micros,
    ) -> Result<Job, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("INSERT INTO jobs (bot_id, kind, status, progress, payload, attempts, created_at) VALUES (")
            .bind(bot.bot_id)
            .push(", ")
            .bind(kind)
            .push(", ")
            .bind(JobStatus::Queued.as_str())
            .push(", 0, ")
            .bind(payload.to_string())
            .push(", 0, ")
            .bind(now)
            .push(") RETURNING id");
        let row = IdRow::find_by_statement(sql.build())
            .one(&self.db)
            .await?
            .ok_or_else(|| {
                StoreError::Database(sea_orm::DbErr::Custom(
                    "inserting a job returned no id".to_owned(),
                ))
            })?;
        Ok(Job {
            id: row.id.to_string(),
            kind: kind.to_owned(),
            status: JobStatus::Queued,
            progress: 0.0,
            error: None,
            created_at: from_micros(now),
            started_at: None,
            finished_at: None,
        })
    }

    /// One job of the bot; another bot's job, or an id that does not parse, is not found.
    pub async fn get_job(&self, bot: BotScope, job_id: &str) -> Result<Job, StoreError> {
        let id = parse_id(job_id)?;
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT id, kind, status, progress, error, created_at, started_at, finished_at FROM jobs WHERE id = ")
            .bind(id)
            .push(" AND bot_id = ")
            .bind(bot.bot_id);
        JobRow::find_by_statement(sql.build())
            .one(&self.db)
            .await?
            .map(Job::from)
            .ok_or(StoreError::NotFound)
    }

    /// Claims the oldest job that is queued, or running with a heartbeat older than
    /// `lease` (its worker stopped), for `worker_id`; `None` when there is nothing to do.
    ///
    /// Safe when several instances claim at once: on PostgreSQL the candidate row is taken
    /// with `FOR UPDATE SKIP LOCKED` inside the claiming `UPDATE`, so two claimers never get
    /// the same job and neither waits for the other; on SQLite the write transaction
    /// serialises claimers. Running jobs whose worker stopped `MAX_JOB_ATTEMPTS` times are
    /// failed here instead of being claimed again.
    pub async fn claim_job(
        &self,
        worker_id: &str,
        lease: Duration,
        now: Micros,
    ) -> Result<Option<ClaimedJob>, StoreError> {
        let lease_micros = i64::try_from(lease.as_micros()).unwrap_or(i64::MAX);
        let stale_before = now.saturating_sub(lease_micros);
        let backend = self.backend();
        // Idle workers poll often: look before taking the write lock.
        let mut sql = Sql::new(backend);
        sql.push("SELECT id FROM jobs WHERE status = ")
            .bind(JobStatus::Queued.as_str())
            .push(" OR (status = ")
            .bind(JobStatus::Running.as_str())
            .push(" AND heartbeat_at < ")
            .bind(stale_before)
            .push(") LIMIT 1");
        if IdRow::find_by_statement(sql.build())
            .one(&self.db)
            .await?
            .is_none()
        {
            return Ok(None);
        }
        let (_turn, transaction) = self.begin_write().await?;

        let mut sql = Sql::new(backend);
        sql.push("UPDATE jobs SET status = ")
            .bind(JobStatus::Failed.as_str())
            .push(", error = ")
            .bind(format!(
                "gave up after {MAX_JOB_ATTEMPTS} attempts: the worker running it stopped each time"
            ))
            .push(", finished_at = ")
            .bind(now)
            .push(", locked_by = NULL WHERE status = ")
            .bind(JobStatus::Running.as_str())
            .push(" AND heartbeat_at < ")
            .bind(stale_before)
            .push(" AND attempts >= ")
            .bind(MAX_JOB_ATTEMPTS);
        transaction.execute_raw(sql.build()).await?;

        let mut sql = Sql::new(backend);
        sql.push("UPDATE jobs SET status = ")
            .bind(JobStatus::Running.as_str())
            .push(", progress = 0, attempts = attempts + 1, locked_by = ")
            .bind(worker_id)
            .push(", heartbeat_at = ")
            .bind(now)
            .push(", started_at = COALESCE(started_at, ")
            .bind(now)
            .push(") WHERE id = (SELECT id FROM jobs WHERE status = ")
            .bind(JobStatus::Queued.as_str())
            .push(" OR (status = ")
            .bind(JobStatus::Running.as_str())
            .push(" AND heartbeat_at < ")
            .bind(stale_before)
            .push(" AND attempts < ")
            .bind(MAX_JOB_ATTEMPTS)
            .push(") ORDER BY id LIMIT 1");
        if backend == DbBackend::Postgres {
            sql.push(" FOR UPDATE SKIP LOCKED");
        }
        sql.push(") RETURNING id, bot_id, (SELECT workspace_id FROM bots WHERE bots.id = jobs.bot_id) AS workspace_id, kind, payload, attempts");
        let row = ClaimRow::find_by_statement(sql.build())
            .one(&transaction)
            .await?;
        transaction.commit().await?;

        let Some(row) = row else { return Ok(None) };
        // The bot cannot be gone: deleting a bot deletes its jobs in the same statement.
        let workspace_id = row.workspace_id.ok_or(StoreError::NotFound)?;
        Ok(Some(ClaimedJob {
            id: row.id,
            bot: BotScope {
                workspace_id,
                bot_id: row.bot_id,
            },
            kind: row.kind,
            payload: serde_json::from_str(&row.payload).unwrap_or_default(),
            attempts: row.attempts,
            worker_id: worker_id.to_owned(),
        }))
    }

    /// How many jobs are in each status now, every status listed (zeros too), for
    /// `/metrics`.
    pub async fn job_counts(&self) -> Result<Vec<(JobStatus, u64)>, StoreError> {
        #[derive(FromQueryResult)]
        struct CountRow {
            status: String,
            jobs: i64,
        }
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT status, COUNT(*) AS jobs FROM jobs GROUP BY status");
        let rows = CountRow::find_by_statement(sql.build())
            .all(&self.db)
            .await?;
        Ok(JOB_STATUSES
            .iter()
            .map(|status| {
                let jobs = rows
                    .iter()
                    .filter(|row| row.status == status.as_str())
                    .map(|row| u64::try_from(row.jobs).unwrap_or_default())
                    .sum();
                (*status, jobs)
            })
            .collect())
    }

    /// Records that the worker is alive and how far it got, which keeps its lease.
    /// Returns whether the worker still holds the job; when it does not (another worker
    /// took it over after the lease ran out, or the bot was deleted), it should stop.
    pub async fn heartbeat(
        &self,
        job: &ClaimedJob,
        progress: f64,
        now: Micros,
    ) -> Result<bool, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("UPDATE jobs SET heartbeat_at = ")
            .bind(now)
            .push(", progress = ")
            .bind(progress.clamp(0.0, 1.0));
        push_held_by(&mut sql, job);
        let _turn = self.writer_turn().await?;
        Ok(self.db.execute_raw(sql.build()).await?.rows_affected() == 1)
    }

    /// Ends the job: succeeded with a result, or failed with an error. Returns whether
    /// the worker still held the job (otherwise nothing was written).
    pub async fn finish_job(
        &self,
        job: &ClaimedJob,
        outcome: Result<serde_json::Value, String>,
        now: Micros,
    ) -> Result<bool, StoreError> {
        let mut sql = Sql::new(self.backend());
        match outcome {
            Ok(result) => {
                sql.push("UPDATE jobs SET status = ")
                    .bind(JobStatus::Succeeded.as_str())
                    .push(", progress = 1, result = ")
                    .bind(result.to_string())
                    .push(", error = NULL");
            }
            Err(error) => {
                sql.push("UPDATE jobs SET status = ")
                    .bind(JobStatus::Failed.as_str())
                    .push(", error = ")
                    .bind(error);
            }
        }
        sql.push(", heartbeat_at = ")
            .bind(now)
            .push(", finished_at = ")
            .bind(now);
        push_held_by(&mut sql, job);
        let _turn = self.writer_turn().await?;
        Ok(self.db.execute_raw(sql.build()).await?.rows_affected() == 1)
    }

    /// Gives a job the worker holds back to the queue, unfinished: `queued`, no lease,
    /// progress 0, and its attempt not counted, so that any instance claims it at once
    /// (a stopping instance's job need not wait for its lease to run out, and a rolling
    /// restart does not use up its attempts). The work must be stopped first: redone from
    /// the start, it must be safe to redo, as every job is. Returns whether the worker
    /// still held the job (otherwise nothing was written).
    pub async fn release_job(&self, job: &ClaimedJob) -> Result<bool, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("UPDATE jobs SET status = ")
            .bind(JobStatus::Queued.as_str())
            .push(", progress = 0, locked_by = NULL, heartbeat_at = NULL, attempts = attempts - 1");
        push_held_by(&mut sql, job);
        let _turn = self.writer_turn().await?;
        Ok(self.db.execute_raw(sql.build()).await?.rows_affected() == 1)
    }
}

/// ` WHERE` the job is still running under this worker's claim.
pub(crate) fn push_held_by(sql: &mut Sql, job: &ClaimedJob) {
    sql.push(" WHERE id = ")
        .bind(job.id)
        .push(" AND status = ")
        .bind(JobStatus::Running.as_str())
        .push(" AND locked_by = ")
        .bind(job.worker_id.as_str())
        .push(" AND attempts = ")
        .bind(job.attempts);
}
