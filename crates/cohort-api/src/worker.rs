//! The background-job worker every instance runs: it claims jobs from the database (see
//! `cohort_store::Store::claim_job`), runs them while heartbeating to keep its lease, and
//! records how they ended. Any instance may run any job; a job whose worker stopped is
//! claimed again by some instance once its lease has run out.
//!
//! On SIGTERM or SIGINT (or `WorkerHandle::stop`) the worker claims nothing more; a job it
//! is running is stopped (its open transaction rolls back, an export's temporary file is
//! deleted) and released (`Store::release_job`): queued again with no lease, so another
//! instance takes it at once instead of after the lease. Then the worker ends.

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::Utc;
use cohort_core::time::{Micros, to_micros};
use cohort_store::{ClaimedJob, EXPORT_CSV, Store, StoreError};
use tokio::sync::watch;

use crate::exports::{self, ExportFiles};

/// The kind of job Refresh Stats queues.
pub(crate) const REFRESH_STATS: &str = "refresh_stats";

/// How long a claim lasts without a heartbeat before another worker may take the job over,
/// unless `AppState::job_lease` says otherwise. Many heartbeats long.
pub(crate) const DEFAULT_LEASE: Duration = Duration::from_secs(30);
/// How often a running job's heartbeat (and progress) is written.
const HEARTBEAT_EVERY: Duration = Duration::from_millis(500);
/// How long the worker waits when there is nothing to claim, or the database failed.
const IDLE: Duration = Duration::from_millis(500);
/// How often the worker deletes expired export files.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// The running worker: tells it to stop, and waits for it to end.
pub struct WorkerHandle {
    stop: Arc<watch::Sender<bool>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl WorkerHandle {
    /// Asks the worker to stop (as SIGTERM does) and waits, at most `patience`, until it
    /// has released its job and ended. Whether it ended in time.
    pub async fn stop(self, patience: Duration) -> bool {
        self.stop.send_replace(true);
        match self.task {
            Some(task) => tokio::time::timeout(patience, task).await.is_ok(),
            None => true,
        }
    }
}

/// Starts the worker on the current tokio runtime (without one, logs and runs none); it
/// also stops on SIGTERM and SIGINT.
pub(crate) fn spawn(store: Store, files: ExportFiles, lease: Duration) -> WorkerHandle {
    let (stop, stopping) = watch::channel(false);
    let stop = Arc::new(stop);
    let task = match tokio::runtime::Handle::try_current() {
        Ok(runtime) => {
            let on_signal = stop.clone();
            runtime.spawn(async move {
                stop_signal().await;
                on_signal.send_replace(true);
            });
            Some(runtime.spawn(run(store, files, worker_id(), lease, stopping)))
        }
        Err(_) => {
            tracing::error!("no tokio runtime: background jobs will not run in this instance");
            None
        }
    };
    WorkerHandle { stop, task }
}

/// Resolves on SIGTERM or SIGINT (never, if they cannot be listened for: the runtime
/// then ends the worker with the process).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(error) => {
                tracing::warn!(error = %error, "cannot listen for SIGTERM");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Resolves once the worker is asked to stop (never if nobody can ask any more).
async fn stop_requested(stopping: &mut watch::Receiver<bool>) {
    if stopping.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Claims and runs jobs, one at a time, until asked to stop; between jobs, deletes
/// expired and orphaned export files once every `SWEEP_EVERY`.
async fn run(
    store: Store,
    files: ExportFiles,
    worker_id: String,
    lease: Duration,
    mut stopping: watch::Receiver<bool>,
) {
    tracing::info!(worker = %worker_id, "background job worker started");
    let mut last_sweep: Option<std::time::Instant> = None;
    while !*stopping.borrow() {
        if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
            last_sweep = Some(std::time::Instant::now());
            match exports::sweep_expired(&store, &files, now()).await {
                Ok(0) => {}
                Ok(swept) => tracing::info!(files = swept, "deleted expired export files"),
                Err(error) => tracing::error!(error = ?error, "sweeping expired exports failed"),
            }
            match exports::sweep_orphans(&store, &files, now()).await {
                Ok(0) => {}
                Ok(swept) => tracing::info!(files = swept, "deleted orphaned export files"),
                Err(error) => {
                    tracing::error!(error = %error, "sweeping orphaned export files failed")
                }
            }
        }
        let idle = match store.claim_job(&worker_id, lease, now()).await {
            Ok(Some(job)) => {
                run_claimed(&store, &files, job, &mut stopping).await;
                continue;
            }
            Ok(None) => IDLE,
            Err(error) => {
                tracing::error!(error = ?error, "claiming a background job failed");
                IDLE
            }
        };
        tokio::select! {
            () = tokio::time::sleep(idle) => {}
            () = stop_requested(&mut stopping) => {}
        }
    }
    tracing::info!(worker = %worker_id, "background job worker stopped");
}

/// Runs one claimed job in its own task (so that even a panic ends as a failed job, not a
/// dead worker) and records how it ended.
async fn run_claimed(
    store: &Store,
    files: &ExportFiles,
    job: ClaimedJob,
    stopping: &mut watch::Receiver<bool>,
) {
    tracing::info!(job = %job.id(), kind = job.kind(), attempt = job.attempts(), "job started");
    let running = run_with_heartbeat(store.clone(), files.clone(), job.clone());
    let mut task = tokio::spawn(running);
    let joined = tokio::select! {
        joined = &mut task => joined,
        () = stop_requested(stopping) => {
            // Dropping the work rolls its open transaction back; only then is the job
            // given back.
            task.abort();
            let _ = task.await;
            release(store, files, &job).await;
            return;
        }
    };
    let outcome = match joined {
        Ok(Some(outcome)) => outcome,
        Ok(None) => {
            tracing::warn!(job = %job.id(), "job was cancelled or lost its lease; stopped it");
            if job.kind() == EXPORT_CSV {
                discard_export_attempt(store, files, &job).await;
            }
            return;
        }
        Err(error) if error.is_panic() => {
            tracing::error!(job = %job.id(), error = %error, "job panicked");
            Err("The job stopped unexpectedly on our side; it has been logged.".to_owned())
        }
        Err(_) => {
            // The runtime is shutting down: leave the job to be claimed again.
            tracing::info!(job = %job.id(), "job interrupted by shutdown");
            return;
        }
    };
    if let Err(message) = &outcome {
        tracing::warn!(job = %job.id(), error = %message, "job failed");
    }
    match store.finish_job(&job, outcome, now()).await {
        Ok(true) => tracing::info!(job = %job.id(), "job finished"),
        Ok(false) => tracing::warn!(job = %job.id(), "job was taken over before it finished"),
        Err(error) => {
            tracing::error!(job = %job.id(), error = ?error, "recording a job's end failed");
        }
    }
}

/// Runs the job while writing its heartbeat and progress every `HEARTBEAT_EVERY`; `None`
/// when the worker lost the job to another one (the work is then dropped, which rolls
/// back its open transaction).
async fn run_with_heartbeat(
    store: Store,
    files: ExportFiles,
    job: ClaimedJob,
) -> Option<Result<serde_json::Value, String>> {
    let progress = Arc::new(AtomicU64::new(0.0_f64.to_bits()));
    tokio::select! {
        outcome = execute(&store, &files, &job, &progress) => Some(outcome),
        () = keep_lease(&store, &job, &progress) => None,
    }
}

/// Heartbeats until the job is no longer this worker's; a failed heartbeat is logged and
/// tried again at the next beat (the lease is many beats long).
async fn keep_lease(store: &Store, job: &ClaimedJob, progress: &AtomicU64) {
    loop {
        tokio::time::sleep(HEARTBEAT_EVERY).await;
        let share = f64::from_bits(progress.load(Ordering::Relaxed));
        match store.heartbeat(job, share, now()).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::warn!(job = %job.id(), error = ?error, "heartbeat failed");
            }
        }
    }
}

/// Does the work of one job; the error is the text the job's `error` shows.
async fn execute(
    store: &Store,
    files: &ExportFiles,
    job: &ClaimedJob,
    progress: &AtomicU64,
) -> Result<serde_json::Value, String> {
    match job.kind() {
        EXPORT_CSV => exports::run_export(store, files, job, progress).await,
        REFRESH_STATS => {
            let bot = job.bot();
            let timeout_secs = store
                .bot_session_timeout(bot)
                .await
                .map_err(|error| failure(job, error))?;
            let users = store
                .rebuild_bot_stats(bot, timeout_secs, |share| {
                    progress.store(share.to_bits(), Ordering::Relaxed);
                })
                .await
                .map_err(|error| failure(job, error))?;
            Ok(serde_json::json!({"users": users, "session_timeout_secs": timeout_secs}))
        }
        other => Err(format!(
            "Unknown job kind `{other}`: this version of Cohort cannot run it."
        )),
    }
}

/// Gives a job this worker stopped back to the queue, after deleting what an export
/// attempt wrote (first: the next claim may reuse the attempt's temporary name).
async fn release(store: &Store, files: &ExportFiles, job: &ClaimedJob) {
    if job.kind() == EXPORT_CSV {
        discard_export_attempt(store, files, job).await;
    }
    // On shutdown, pooled connections opened on the HTTP server's worker threads die
    // with their runtimes ("a Tokio context … is being shutdown"); each failed attempt
    // drops one, and the pool opens a new one on this runtime.
    let mut attempt = 1;
    loop {
        match store.release_job(job).await {
            Ok(true) => {
                tracing::info!(job = %job.id(), "job released to the queue on shutdown");
            }
            Ok(false) => tracing::warn!(job = %job.id(), "job was no longer this worker's"),
            Err(error) if attempt < RELEASE_ATTEMPTS => {
                tracing::debug!(job = %job.id(), error = ?error, attempt, "releasing a job failed; again");
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
            Err(error) => tracing::error!(
                job = %job.id(),
                error = ?error,
                "releasing a job failed; another instance takes it over once its lease runs out"
            ),
        }
        return;
    }
}

/// How often a stopping worker tries to release its job: more than the pool has
/// connections, each of which may have died with the server's threads.
const RELEASE_ATTEMPTS: u32 = 24;

/// Deletes what an export attempt that was stopped mid-way (cancelled, or its lease lost)
/// may have written under its temporary name; the unfinished upload itself is dropped.
async fn discard_export_attempt(store: &Store, files: &ExportFiles, job: &ClaimedJob) {
    match store.export_task(job).await {
        Ok(task) => {
            let key = exports::temporary_key(&task.key, job.attempts());
            if let Err(error) = files.delete(&key).await {
                tracing::warn!(job = %job.id(), error = %error, "deleting a temporary export file failed");
            }
        }
        Err(error) => {
            tracing::warn!(job = %job.id(), error = ?error, "reading a stopped export failed")
        }
    }
}

/// The job error a store failure shows; database causes are logged, never shown.
fn failure(job: &ClaimedJob, error: StoreError) -> String {
    match error {
        StoreError::NotFound => "The bot no longer exists.".to_owned(),
        error => {
            tracing::error!(job = %job.id(), error = ?error, "job failed in the store");
            "The job failed on our side; it has been logged.".to_owned()
        }
    }
}

/// This worker's name in `jobs.locked_by`: host, process and a random suffix, so that two
/// instances (or two servers in one process, as in tests) never share one.
fn worker_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    let suffix = RandomState::new().hash_one(Utc::now().timestamp_nanos_opt());
    format!("{host}/{}/{suffix:016x}", std::process::id())
}

fn now() -> Micros {
    to_micros(Utc::now())
}
