//! Who is calling: `Caller` extracts the workspace from `Authorization: Bearer <token>`.
//! Handlers that take a `Caller` are authenticated; everything they touch is scoped to
//! its workspace by the store.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use cohort_store::WorkspaceScope;

use crate::app::AppState;
use crate::error::ApiError;

/// An authenticated caller.
pub struct Caller {
    /// The workspace the caller's token belongs to.
    pub workspace: WorkspaceScope,
    /// Who the caller is, for the audit log: `token:<id>`.
    pub actor: String,
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let token = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                let (scheme, token) = value.trim().split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then(|| token.trim().to_owned())
            });
        Box::pin(async move {
            let (Some(state), Some(token)) = (state, token) else {
                return Err(ApiError::Unauthorized);
            };
            match state.store.authenticate(&token).await? {
                Some((workspace, actor)) => Ok(Caller { workspace, actor }),
                None => Err(ApiError::Unauthorized),
            }
        })
    }
}
