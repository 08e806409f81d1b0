//! Assembling the actix application: state, extractor settings, routes, docs, the SPA's
//! files and the problem+json fallback; and serving it.

use std::net::TcpListener;
use std::path::PathBuf;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, Error, HttpServer, middleware, web};
use cohort_store::Store;
use utoipa_actix_web::{AppExt, UtoipaApp, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::{extract, fallback, openapi, routes};

/// What every request handler can reach.
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Where the built SPA is (`index.html`, the wasm and its JS); `None` serves no SPA.
    pub static_dir: Option<PathBuf>,
}

/// Registers the documented routes: health outside the prefix, the API under `/api/v1`.
pub(crate) fn with_routes<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = Error, InitError = ()>,
{
    app.openapi(openapi::base())
        .configure(routes::configure_root)
        .service(
            scope::scope("/api/v1")
                .configure(routes::configure)
                .default_service(web::to(fallback::unmatched)),
        )
}

/// Serves the API (and the SPA, when `state.static_dir` is set) on `listener`.
pub fn serve(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let spec = openapi::openapi();
    let route_table = web::Data::new(fallback::RouteTable::from_spec(&spec));
    let static_dir = state
        .static_dir
        .clone()
        .filter(|dir| dir.join("index.html").is_file());
    if let Some(dir) = &state.static_dir
        && static_dir.is_none()
    {
        tracing::warn!(dir = %dir.display(), "no built SPA found there; serving the API only");
    }
    // Background jobs run beside the server, on the caller's tokio runtime.
    crate::worker::spawn(state.store.clone());
    let state = web::Data::new(state);
    let server = HttpServer::new(move || {
        let (app, _) = with_routes(App::new().into_utoipa_app()).split_for_parts();
        let app = app
            .app_data(state.clone())
            .app_data(route_table.clone())
            .app_data(extract::payload_config())
            .app_data(extract::json_config())
            .app_data(extract::query_config())
            .app_data(extract::path_config())
            .wrap(middleware::Compress::default())
            .wrap(middleware::Logger::new("%r %s %Dms"))
            .service(web::redirect("/docs", "/docs/"))
            .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", spec.clone()));
        with_spa(app, static_dir.clone())
    })
    .listen(listener)?
    .run();
    Ok(server)
}

/// Serves the SPA's files at `/`, with `index.html` for any other path (client-side
/// routes); without an SPA, unknown paths are problem+json 404s.
fn with_spa<T, B>(app: App<T>, static_dir: Option<PathBuf>) -> App<T>
where
    B: MessageBody,
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        >,
{
    match static_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            app.service(
                actix_files::Files::new("/", dir)
                    .index_file("index.html")
                    .prefer_utf8(true)
                    .default_handler(web::to(move |request: actix_web::HttpRequest| {
                        let index = index.clone();
                        async move {
                            actix_files::NamedFile::open_async(index)
                                .await
                                .map(|file| file.into_response(&request))
                        }
                    })),
            )
        }
        None => app.default_service(web::to(fallback::unmatched)),
    }
}
