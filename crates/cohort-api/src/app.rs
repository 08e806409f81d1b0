//! Assembling the actix application: extractor settings, routes, docs, the SPA's files and
//! the problem+json fallback; and serving it.

use std::net::TcpListener;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, Error, HttpServer, middleware, web};
use utoipa_actix_web::{AppExt, UtoipaApp, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::spa::{self, Spa};
use crate::state::AppState;
use crate::worker::WorkerHandle;
use crate::{extract, fallback, input_guard, openapi, routes};

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

/// Serves the API (and the SPA, as `state.spa` says) on `listener`, with a background-job
/// worker that runs as long as the runtime (or until SIGTERM/SIGINT).
pub fn serve(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    serve_with_worker(listener, state).map(|(server, _)| server)
}

/// `serve`, and a handle on its background-job worker, to stop it and wait for it when
/// the server has ended.
///
/// On SIGTERM actix stops accepting connections and lets requests in flight finish
/// (for at most its 30 s `shutdown_timeout`) before the server's future ends; SIGINT stops
/// at once. The worker hears the same signals: it claims nothing more and gives a job it
/// was running back to the queue (see `worker`).
pub fn serve_with_worker(
    listener: TcpListener,
    state: AppState,
) -> std::io::Result<(Server, WorkerHandle)> {
    let spec = openapi::openapi();
    let route_table = web::Data::new(fallback::RouteTable::from_spec(&spec));
    let spa = match &state.spa {
        Spa::Folder(dir) if !dir.join("index.html").is_file() => {
            tracing::warn!(dir = %dir.display(), "no built SPA found there; serving the API only");
            Spa::None
        }
        Spa::Embedded if !spa::embedded_available() => {
            tracing::warn!(
                "this binary was built without the SPA (frontend/dist was missing); serving the API only"
            );
            Spa::None
        }
        other => other.clone(),
    };
    let worker_parts = (state.store.clone(), state.exports.clone(), state.job_lease);
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
            .wrap(middleware::from_fn(crate::head::head_as_get))
            .wrap(middleware::from_fn(crate::idempotency::idempotent))
            .wrap(middleware::from_fn(input_guard::refuse_control_characters))
            .wrap(middleware::from_fn(crate::fair_use::limit))
            .wrap(middleware::Compress::default())
            .wrap(middleware::from_fn(crate::headers::security_headers))
            .wrap(middleware::from_fn(crate::request_id::assign))
            .wrap(middleware::Logger::new(
                "%r %s %Dms request_id=%{x-request-id}o",
            ))
            .wrap(middleware::from_fn(crate::metrics::record))
            .service(web::redirect("/docs", "/docs/"))
            .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", spec.clone()));
        with_spa(app, spa.clone())
    })
    .listen(listener)?
    .run();
    // Background jobs run beside the server, on the caller's tokio runtime.
    let (store, files, lease) = worker_parts;
    let worker = crate::worker::spawn(store, files, lease);
    Ok((server, worker))
}

/// Serves the SPA's files at `/`, with `index.html` for any other path (client-side
/// routes); paths under `/api` and, without an SPA, every unknown path are problem+json
/// 404s.
fn with_spa<T, B>(app: App<T>, spa: Spa) -> App<T>
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
    let app = app.service(web::scope("/api").default_service(web::to(fallback::unmatched)));
    match spa {
        Spa::Folder(dir) => {
            let index = dir.join("index.html");
            let serve_index = move |request: actix_web::HttpRequest| {
                spa::serve_index_file(index.clone(), request)
            };
            app.service(web::resource("/").route(web::get().to(serve_index.clone())))
                .service(
                    actix_files::Files::new("/", dir)
                        .prefer_utf8(true)
                        .default_handler(web::to(serve_index)),
                )
        }
        Spa::Embedded => app.default_service(web::to(spa::serve_embedded)),
        Spa::None => app.default_service(web::to(fallback::unmatched)),
    }
}
