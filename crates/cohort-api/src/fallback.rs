//! Answers for requests no route took: 405 with `Allow` when the path exists for other
//! methods (known from the OpenAPI document), else 404 — both as problem+json.
//!
//! A path that names a record in a segment the routes restrict (`/users/{user:[0-9]+}`)
//! can reach here with a method its pattern takes (`GET /users/abc`): there is no such
//! record, so that is a 404. A static path wins over a pattern that also matches it, so
//! `GET /users/bulk` is a 405 that allows `POST`, not a user named "bulk".

use actix_web::dev::ResourceDef;
use actix_web::{HttpRequest, web};

use crate::error::ApiError;

/// The documented paths and their methods.
pub struct RouteTable {
    routes: Vec<(ResourceDef, Vec<String>)>,
}

impl RouteTable {
    /// Reads the paths of the OpenAPI document.
    pub fn from_spec(spec: &utoipa::openapi::OpenApi) -> Self {
        let routes = spec
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let pattern = ResourceDef::new(path.as_str());
                let value = serde_json::to_value(item).unwrap_or_default();
                let mut methods: Vec<String> = value
                    .as_object()
                    .map(|operations| {
                        operations
                            .keys()
                            .filter(|key| {
                                matches!(key.as_str(), "get" | "post" | "put" | "patch" | "delete")
                            })
                            .map(|key| key.to_ascii_uppercase())
                            .collect()
                    })
                    .unwrap_or_default();
                methods.sort();
                (pattern, methods)
            })
            .collect();
        Self { routes }
    }

    /// Whether the API answers `method` at `path`.
    pub fn has(&self, method: &str, path: &str) -> bool {
        self.methods_for(path)
            .is_some_and(|methods| methods.iter().any(|known| known == method))
    }

    /// The methods of the documented path that matches `path`, the one with the fewest
    /// parameters when several do (`/users/bulk` before `/users/{user}`).
    fn methods_for(&self, path: &str) -> Option<&[String]> {
        self.routes
            .iter()
            .filter(|(pattern, _)| pattern.is_match(path))
            .min_by_key(|(pattern, _)| {
                pattern
                    .pattern()
                    .map_or(0, |text| text.matches('{').count())
            })
            .map(|(_, methods)| methods.as_slice())
    }
}

/// The handler of last resort.
pub async fn unmatched(
    request: HttpRequest,
    routes: Option<web::Data<RouteTable>>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let allowed = routes
        .as_ref()
        .and_then(|routes| routes.methods_for(request.path()));
    let method = request.method().as_str();
    Err(match allowed {
        Some(methods) if !methods.is_empty() && !methods.iter().any(|known| known == method) => {
            ApiError::MethodNotAllowed {
                allowed: methods.to_vec(),
            }
        }
        _ => ApiError::NotFound(format!("There is nothing at {}.", request.path())),
    })
}
