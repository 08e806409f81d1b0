//! The admin SPA's files: embedded in the binary from `frontend/dist` when it was built
//! (`frontend/build.sh`), or read from a folder named with `--static-dir`. Unknown paths
//! get `index.html`, so client-side routes like `/users/123` load the app.

use std::path::PathBuf;

use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;
use crate::fallback::{self, RouteTable};

/// `frontend/dist` at build time. It may be missing (a clean clone before the SPA is
/// built): the binary then serves the API only.
#[derive(rust_embed::RustEmbed)]
#[folder = "../../frontend/dist"]
#[allow_missing = true]
struct Assets;

/// Where the SPA's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spa {
    /// The copy embedded in the binary.
    Embedded,
    /// A folder on disk holding `index.html`, the wasm and its JS.
    Folder(PathBuf),
    /// No SPA: the API only.
    None,
}

/// Whether this binary was built with the SPA in it.
pub fn embedded_available() -> bool {
    Assets::get("index.html").is_some()
}

/// Serves `index.html` from a folder, `no-cache` so a new build is picked up at once.
pub async fn serve_index_file(
    index: PathBuf,
    request: HttpRequest,
) -> Result<HttpResponse, actix_web::Error> {
    let mut response = actix_files::NamedFile::open_async(index)
        .await?
        .into_response(&request);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// Serves an embedded file, or `index.html` for a path that is not one (GET and HEAD
/// only; other methods get the problem+json fallback). Every answer is `no-cache` with an
/// ETag, so a new build is picked up at once and an unchanged one costs a 304.
pub async fn serve_embedded(
    request: HttpRequest,
    routes: Option<web::Data<RouteTable>>,
) -> Result<HttpResponse, ApiError> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return fallback::unmatched(request, routes).await;
    }
    let path = request.path().trim_start_matches('/');
    let file = Assets::get(path)
        .filter(|_| !path.is_empty())
        .or_else(|| Assets::get("index.html"))
        .ok_or_else(|| ApiError::NotFound(format!("There is nothing at {}.", request.path())))?;
    let etag: String = file
        .metadata
        .sha256_hash()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let etag = format!("\"{etag}\"");
    let unchanged = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|value| value.as_bytes() == etag.as_bytes());
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .insert_header((header::ETAG, etag));
    if unchanged {
        return Ok(response.finish());
    }
    Ok(response
        .content_type(file.metadata.mimetype())
        .body(file.data.into_owned()))
}
