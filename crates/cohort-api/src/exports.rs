//! Export files: where they are kept (`ExportFiles`, any `object_store`: a local folder by
//! default, an S3-compatible bucket by URL), and the `export_csv` job that writes one.
//!
//! The job reads the selected users from one database snapshot in keyset batches and
//! streams them through `csv-async` into an upload under a temporary name
//! (`tmp/<final name>.<attempt>`); only a complete file is published, by renaming it to
//! its final name (a rename on a local folder, copy + delete on S3), so a half-written
//! file is never served. A cancelled, failed or interrupted attempt deletes its
//! temporary object; a retry starts over from scratch.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use chrono::Utc;
use cohort_core::bulk::check_selection;
use cohort_core::export::ExportUser;
use cohort_core::export::{BOM, header, record};
use cohort_core::time::{Micros, to_micros};
use cohort_store::{ClaimedJob, ExportReader, Store, StoreError};
use futures_util::StreamExt;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::buffered::BufWriter;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt};
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// How long a finished file is kept by default.
pub const DEFAULT_EXPORT_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// The upload's buffer and multipart part size (S3 wants at least 5 MiB a part); with at
/// most two parts in flight, an export's memory stays a few tens of MiB.
const UPLOAD_PART_BYTES: usize = 8 * 1024 * 1024;

/// How many batches of users the snapshot's reader may be ahead of the CSV writer (each
/// `EXPORT_BATCH_USERS` users: a few MiB at most).
const READ_AHEAD_BATCHES: usize = 2;

/// Where export files live, and for how long.
#[derive(Debug, Clone)]
pub struct ExportFiles {
    store: Arc<dyn ObjectStore>,
    ttl: Duration,
}

impl ExportFiles {
    /// Files in a local folder (created if missing).
    pub fn local(dir: &std::path::Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let store = LocalFileSystem::new_with_prefix(dir).map_err(std::io::Error::other)?;
        Ok(Self {
            store: Arc::new(store),
            ttl: DEFAULT_EXPORT_TTL,
        })
    }

    /// Files in the store a URL names: a local path (`/srv/exports`, `file:///srv/exports`)
    /// or `s3://bucket/prefix`, configured by the usual `AWS_*` variables and by query
    /// parameters named as object_store's S3 options (`endpoint=` for an S3-compatible
    /// server, where plain `http://` is then allowed; `region=`, `access_key_id=`, …).
    pub fn from_url(url: &str) -> std::io::Result<Self> {
        if let Some(rest) = url.strip_prefix("s3://") {
            install_tls_provider();
            let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
            let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
            let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
            for pair in query.split('&').filter(|pair| !pair.is_empty()) {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let key: AmazonS3ConfigKey = name.parse().map_err(|_| {
                    std::io::Error::other(format!("unknown export store option `{name}`"))
                })?;
                if key == AmazonS3ConfigKey::Endpoint && value.starts_with("http://") {
                    builder = builder.with_allow_http(true);
                }
                builder = builder.with_config(key, value);
            }
            let s3 = builder.build().map_err(std::io::Error::other)?;
            let prefix = prefix.trim_matches('/');
            let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
                Arc::new(s3)
            } else {
                Arc::new(PrefixStore::new(s3, prefix))
            };
            return Ok(Self {
                store,
                ttl: DEFAULT_EXPORT_TTL,
            });
        }
        if url.contains("://") && !url.starts_with("file://") {
            return Err(std::io::Error::other(format!(
                "the export store `{url}` is neither a folder nor an s3:// URL"
            )));
        }
        Self::local(std::path::Path::new(
            url.strip_prefix("file://").unwrap_or(url),
        ))
    }

    /// The same store, keeping finished files for `ttl`.
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Deletes the files of exports that expired by `now` and marks them, as the worker
    /// does once a minute; returns how many.
    pub async fn sweep_expired(&self, store: &Store, now: Micros) -> Result<usize, StoreError> {
        sweep_expired(store, self, now).await
    }

    /// Deletes orphaned export files (of deleted bots or exports, of failed attempts) that
    /// are older than a few minutes at `now`, as the worker does once a minute; returns how
    /// many.
    pub async fn sweep_orphans(&self, store: &Store, now: Micros) -> Result<usize, String> {
        sweep_orphans(store, self, now).await
    }

    /// The object store itself.
    pub(crate) fn store(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    /// Deletes an object; one that is not there is fine.
    pub(crate) async fn delete(&self, key: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

/// Makes ring the process's TLS crypto provider (as the database driver uses), which
/// reqwest's rustls needs before any HTTP client is built; installing it again is harmless.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The temporary name an attempt writes to before publishing.
pub(crate) fn temporary_key(key: &str, attempt: i64) -> String {
    format!("tmp/{key}.{attempt}")
}

/// Runs an `export_csv` job: writes the file, publishes it, records its size. `progress`
/// receives the share of rows written (as f64 bits). The error is the text the export's
/// `error` shows.
pub(crate) async fn run_export(
    store: &Store,
    files: &ExportFiles,
    job: &ClaimedJob,
    progress: &AtomicU64,
) -> Result<serde_json::Value, String> {
    let task = store
        .export_task(job)
        .await
        .map_err(|error| failure(job, error))?;
    let selection_wire = serde_json::from_value(task.selection.clone())
        .map_err(|_| "The export's selection is not valid.".to_owned())?;
    let selection = check_selection(&selection_wire, "/selection")
        .map_err(|_| "The export's selection is not valid.".to_owned())?;
    // An earlier attempt of this job may have left its temporary object behind.
    for attempt in 1..job.attempts() {
        let _ = files.delete(&temporary_key(&task.key, attempt)).await;
    }
    let temporary = temporary_key(&task.key, job.attempts());
    let outcome = write_file(store, files, job, progress, selection, &task, &temporary).await;
    let (rows, bytes) = match outcome {
        Ok(written) => written,
        Err(message) => {
            if let Err(error) = files.delete(&temporary).await {
                tracing::warn!(job = %job.id(), error = %error, "deleting a temporary export file failed");
            }
            return Err(message);
        }
    };
    files
        .store
        .rename(
            &ObjectPath::from(temporary.as_str()),
            &ObjectPath::from(task.key.as_str()),
        )
        .await
        .map_err(|error| storage_failure(job, &error))?;
    let ttl = i64::try_from(files.ttl.as_micros()).unwrap_or(i64::MAX);
    let held = store
        .complete_export(job, rows, bytes, to_micros(Utc::now()).saturating_add(ttl))
        .await
        .map_err(|error| failure(job, error))?;
    if !held {
        // Cancelled (or taken over) while publishing: the file must not stay.
        let _ = files.delete(&task.key).await;
        return Err("The export was cancelled.".to_owned());
    }
    Ok(serde_json::json!({ "rows": rows, "bytes": bytes }))
}

/// Writes the whole file under `temporary`; returns rows and bytes written.
async fn write_file(
    store: &Store,
    files: &ExportFiles,
    job: &ClaimedJob,
    progress: &AtomicU64,
    selection: cohort_core::bulk::CheckedSelection,
    task: &cohort_store::ExportTask,
    temporary: &str,
) -> Result<(u64, u64), String> {
    let reader = store
        .open_export(job.bot(), selection, task.created_at)
        .await
        .map_err(|error| failure(job, error))?;
    let keys = reader.keys().to_vec();
    let total = reader.total();
    let upload = BufWriter::with_capacity(
        files.store.clone(),
        ObjectPath::from(temporary),
        UPLOAD_PART_BYTES,
    )
    .with_max_concurrency(2);
    let written = Arc::new(AtomicU64::new(0));
    let mut counting = CountingWriter::new(upload, written.clone());
    counting
        .write_all(BOM)
        .await
        .map_err(|error| io_failure(job, &error))?;
    let mut writer = csv_async::AsyncWriterBuilder::new()
        .terminator(csv_async::Terminator::CRLF)
        .create_writer(counting);
    writer
        .write_record(header(&keys))
        .await
        .map_err(|error| io_failure(job, &error))?;
    // The snapshot is read in a task of its own, a batch or two ahead of the CSV: the
    // database's work and the decoding of its rows run beside the formatting and the
    // upload instead of taking turns with them. Dropping `reading` (a cancelled or failed
    // export) aborts the task, which rolls the snapshot back.
    let (batches, mut arriving) = tokio::sync::mpsc::channel(READ_AHEAD_BATCHES);
    let mut reading = tokio::task::JoinSet::new();
    reading.spawn(read_ahead(reader, batches));
    let mut rows: u64 = 0;
    let mut line = csv_async::ByteRecord::new();
    while let Some(batch) = arriving.recv().await {
        let batch = batch.map_err(|error| failure(job, error))?;
        for user in &batch {
            line.clear();
            for cell in record(user, &keys) {
                line.push_field(cell.as_bytes());
            }
            writer
                .write_byte_record(&line)
                .await
                .map_err(|error| io_failure(job, &error))?;
        }
        rows += batch.len() as u64;
        writer
            .flush()
            .await
            .map_err(|error| io_failure(job, &error))?;
        let share = if total == 0 {
            1.0
        } else {
            (rows as f64 / total as f64).min(1.0)
        };
        progress.store(share.to_bits(), Ordering::Relaxed);
        let bytes = written.load(Ordering::Relaxed);
        let still_ours = store
            .export_progress(job, rows, bytes)
            .await
            .map_err(|error| failure(job, error))?;
        if !still_ours {
            return Err("The export was cancelled.".to_owned());
        }
    }
    // The channel also closes when the reader panicked: only a reader that ended well, and
    // as many rows as the snapshot counted, make a whole file.
    match reading.join_next().await {
        Some(Ok(())) => {}
        Some(Err(error)) => return Err(io_failure(job, &error)),
        None => return Err(io_failure(job, &"the snapshot's reader was lost")),
    }
    if rows != total {
        return Err(io_failure(
            job,
            &format!("the snapshot counted {total} users but {rows} were read"),
        ));
    }
    let mut counting = writer
        .into_inner()
        .await
        .map_err(|error| io_failure(job, &error))?;
    counting
        .shutdown()
        .await
        .map_err(|error| io_failure(job, &error))?;
    Ok((rows, written.load(Ordering::Relaxed)))
}

/// Sends the snapshot's batches to `batches` until all are read, one fails, or the
/// receiver is gone; then ends the snapshot.
async fn read_ahead(
    mut reader: ExportReader,
    batches: tokio::sync::mpsc::Sender<Result<Vec<ExportUser>, StoreError>>,
) {
    loop {
        match reader.next_batch().await {
            // An empty batch: all were read.
            Ok(users) if users.is_empty() => break,
            Ok(users) => {
                if batches.send(Ok(users)).await.is_err() {
                    break;
                }
            }
            Err(error) => {
                let _ = batches.send(Err(error)).await;
                break;
            }
        }
    }
    if let Err(error) = reader.close().await {
        tracing::warn!(error = ?error, "closing an export's snapshot failed");
    }
}

/// Deletes the files of exports that expired by `now` and marks them; returns how many.
pub(crate) async fn sweep_expired(
    store: &Store,
    files: &ExportFiles,
    now: Micros,
) -> Result<usize, StoreError> {
    let expired = store.expired_exports(now, 100).await?;
    let mut swept = 0;
    for (export_id, key) in expired {
        match files.delete(&key).await {
            Ok(()) => {
                store.mark_export_expired(&export_id, now).await?;
                swept += 1;
            }
            Err(error) => {
                tracing::warn!(export = %export_id, error = %error, "deleting an expired export file failed");
            }
        }
    }
    Ok(swept)
}

/// How old an object must be before the sweep may call it an orphan: its export's row
/// always exists before the object is written, so this is only a margin.
const ORPHAN_GRACE: Duration = Duration::from_secs(10 * 60);

/// Deletes the objects under `exports/` and `tmp/exports/` that no export may still have
/// (see `Store::live_export_keys`): files of deleted bots and removed exports, temporary
/// files of attempts that failed or were given up; only objects older than `ORPHAN_GRACE`
/// at `now`. Returns how many. Nothing else in the store is touched.
pub(crate) async fn sweep_orphans(
    store: &Store,
    files: &ExportFiles,
    now: Micros,
) -> Result<usize, String> {
    let grace = i64::try_from(ORPHAN_GRACE.as_micros()).unwrap_or(i64::MAX);
    let mut candidates = Vec::new();
    // Listed before the live keys are read, so every listed object's export is seen.
    for prefix in ["exports", "tmp/exports"] {
        let mut listing = files.store.list(Some(&ObjectPath::from(prefix)));
        while let Some(object) = listing.next().await {
            let object = object.map_err(|error| error.to_string())?;
            if to_micros(object.last_modified) < now.saturating_sub(grace) {
                candidates.push(object.location.to_string());
            }
        }
    }
    if candidates.is_empty() {
        return Ok(0);
    }
    let live = store
        .live_export_keys()
        .await
        .map_err(|error| format!("{error:?}"))?;
    let mut swept = 0;
    for location in candidates {
        let key = match location.strip_prefix("tmp/") {
            // `tmp/<key>.<attempt>`
            Some(temporary) => temporary.rsplit_once('.').map_or(temporary, |(key, _)| key),
            None => location.as_str(),
        };
        if live.contains(key) {
            continue;
        }
        match files.delete(&location).await {
            Ok(()) => swept += 1,
            Err(error) => {
                tracing::warn!(object = %location, error = %error, "deleting an orphaned export file failed");
            }
        }
    }
    Ok(swept)
}

/// An `AsyncWrite` that counts the bytes written through it into `count`.
struct CountingWriter<W> {
    inner: W,
    count: Arc<AtomicU64>,
}

impl<W> CountingWriter<W> {
    fn new(inner: W, count: Arc<AtomicU64>) -> Self {
        Self { inner, count }
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for CountingWriter<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_write(context, buffer);
        if let Poll::Ready(Ok(written)) = &polled {
            this.count.fetch_add(*written as u64, Ordering::Relaxed);
        }
        polled
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(context)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(context)
    }
}

/// The export error a store failure shows; database causes are logged, never shown.
fn failure(job: &ClaimedJob, error: StoreError) -> String {
    match error {
        StoreError::NotFound => "The export or its bot no longer exists.".to_owned(),
        error => {
            tracing::error!(job = %job.id(), error = ?error, "export failed in the store");
            "The export failed on our side; it has been logged.".to_owned()
        }
    }
}

fn io_failure(job: &ClaimedJob, error: &dyn std::fmt::Display) -> String {
    tracing::error!(job = %job.id(), error = %error, "writing an export file failed");
    "Writing the export file failed; it has been logged.".to_owned()
}

fn storage_failure(job: &ClaimedJob, error: &object_store::Error) -> String {
    tracing::error!(job = %job.id(), error = %error, "publishing an export file failed");
    "Publishing the export file failed; it has been logged.".to_owned()
}
