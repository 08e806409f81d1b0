//! `GET /api/v1/bots/{bot}/exports/{export}/download`: an export's CSV file, streamed
//! from the export store (never read whole into memory), with single `Range` support.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use cohort_core::api::{JobStatus, Problem};
use cohort_core::time::to_micros;
use futures_util::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, ObjectStore};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::ReadProblems;
use crate::state::AppState;

/// Download an export's file.
///
/// Downloads a succeeded export: `text/csv; charset=utf-8`, as an attachment named
/// `<bot>-users-<UTC time>.csv`. One byte range (`Range: bytes=a-b`, `a-`, `-n`) answers
/// 206. Each download is written to the audit log (a `HEAD`, which sends no content, is
/// not).
#[utoipa::path(
    tag = "exports",
    params(
        ("bot" = String, Path, description = "Bot id"),
        ("export" = String, Path, description = "Export id")
    ),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv; charset=utf-8", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"<bot>-users-<UTC time>.csv\"`"))),
        (status = 206, description = "The requested byte range of the file", content_type = "text/csv; charset=utf-8", body = String),
        (status = 409, description = "The export has not succeeded (yet); `detail` names its status", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The file expired and was deleted", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = "The range is outside the file", body = Problem, content_type = "application/problem+json"),
        ReadProblems
    )
)]
#[get("/bots/{bot}/exports/{export}/download")]
pub async fn download_export(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (bot_id, export_id) = path.into_inner();
    let bot = state.store.bot_scope(caller.workspace, &bot_id).await?;
    let file = state.store.export_file(bot, &export_id).await?;
    if file.status != JobStatus::Succeeded {
        return Err(ApiError::ExportNotReady(file.status.as_str().to_owned()));
    }
    if file.expired {
        return Err(ApiError::Gone(
            "The export's file expired and was deleted; export again.".to_owned(),
        ));
    }
    let range_header = request
        .headers()
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let range = match range_header.as_deref() {
        Some(text) => parse_range(text, file.bytes)?,
        None => None,
    };
    let options = GetOptions {
        range: range.map(|(start, end)| GetRange::Bounded(start..end)),
        ..GetOptions::default()
    };
    let object = state
        .exports
        .store()
        .get_opts(&ObjectPath::from(file.key.as_str()), options)
        .await
        .map_err(|error| match error {
            object_store::Error::NotFound { .. } => {
                ApiError::Gone("The export's file is no longer there; export again.".to_owned())
            }
            other => ApiError::Internal(Box::new(other)),
        })?;
    if !crate::head::is_head(&request) {
        state
            .store
            .record_export_download(
                bot,
                &export_id,
                &caller.actor,
                range_header.as_deref(),
                to_micros(Utc::now()),
            )
            .await?;
    }
    let total = object.meta.size;
    let (mut response, length) = match range {
        Some((start, end)) => {
            let mut response = HttpResponse::PartialContent();
            response.insert_header((
                header::CONTENT_RANGE,
                format!("bytes {start}-{}/{total}", end - 1),
            ));
            (response, end - start)
        }
        None => (HttpResponse::Ok(), total),
    };
    let disposition = format!("attachment; filename=\"{}\"", file.file_name);
    response
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        ))
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::ACCEPT_RANGES, HeaderValue::from_static("bytes")))
        // Sent as stored: `identity` keeps the compression middleware away, so the length holds.
        .insert_header((
            header::CONTENT_ENCODING,
            HeaderValue::from_static("identity"),
        ))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .no_chunking(length);
    let stream = object
        .into_stream()
        .map_err(actix_web::error::ErrorInternalServerError);
    Ok(response.streaming(stream))
}

/// The byte range a `Range` header asks of a file of `size` bytes, as `start..end`, as
/// RFC 9110 (14.2) has it: a header in another unit (or none) is ignored, as it must be,
/// and so is one of several ranges (the whole file answers, which a server may do); one
/// malformed or unsatisfiable byte range is 416.
fn parse_range(text: &str, size: u64) -> Result<Option<(u64, u64)>, ApiError> {
    let invalid = || ApiError::RangeNotSatisfiable { size };
    let Some(spec) = text.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let (first, last) = spec.split_once('-').ok_or_else(invalid)?;
    let (first, last) = (first.trim(), last.trim());
    let (start, end) = if first.is_empty() {
        let suffix: u64 = last.parse().map_err(|_| invalid())?;
        (size.saturating_sub(suffix), size)
    } else {
        let start: u64 = first.parse().map_err(|_| invalid())?;
        let end = if last.is_empty() {
            size
        } else {
            last.parse::<u64>()
                .map_err(|_| invalid())?
                .saturating_add(1)
                .min(size)
        };
        (start, end)
    };
    if start >= end || start >= size {
        return Err(invalid());
    }
    Ok(Some((start, end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_as_rfc_9110_says() {
        let served = |text: &str| parse_range(text, 100).ok();
        assert_eq!(served("bytes=0-9"), Some(Some((0, 10))));
        assert_eq!(served("bytes=90-"), Some(Some((90, 100))));
        assert_eq!(served("bytes=-10"), Some(Some((90, 100))));
        assert_eq!(served("bytes=95-200"), Some(Some((95, 100))));
        // Unsatisfiable or malformed byte ranges: 416.
        assert_eq!(served("bytes=100-"), None);
        assert_eq!(served("bytes=5-2"), None);
        assert_eq!(served("bytes=x-2"), None);
        // Another unit, no unit, several ranges: ignored, the whole file answers.
        assert_eq!(served("bytes=0-1,5-6"), Some(None));
        assert_eq!(served("items=0-1"), Some(None));
        assert_eq!(served("junk"), Some(None));
    }
}
