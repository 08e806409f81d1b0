//! `/metrics` in the Prometheus text format, on its own address (`serve
//! --metrics-listen`), so that it is never exposed where the API is:
//! - `cohort_http_requests_total{method,route,status}`: every response, the outermost
//!   middleware's view (429s and other refusals included);
//! - `cohort_http_request_duration_seconds{method,route}`: time to the response's head
//!   (a streamed body, such as an export's download, is not waited for). No `status`
//!   label: each label set of a histogram costs a series per bucket, and the counter
//!   already tells errors apart;
//! - `cohort_jobs{state}`: background jobs per status (`queued`, `running`, …), counted
//!   in the database at each scrape, so every instance reports the whole queue;
//! - `cohort_db_pool_connections`, `cohort_db_pool_idle_connections`,
//!   `cohort_db_pool_max_connections`: this instance's connection pool.
//!
//! Labels are bounded: `route` is the matched route's pattern
//! (`/api/v1/bots/{bot}/users`), never the path, and `unmatched` when no route took the
//! request; `method` is one of the standard methods or `other`. No metric holds a
//! credential, a database URL or anything a request sent.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{App, HttpResponse, HttpServer, web};
use cohort_store::Store;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

/// The route label of a request no route took.
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// The process's metrics, kept in `AppState`; `None` inside only if the registry refused
/// them (it cannot with these fixed names; logged).
pub struct Metrics(Option<Collectors>);

struct Collectors {
    registry: Registry,
    requests: IntCounterVec,
    durations: HistogramVec,
    jobs: IntGaugeVec,
    pool_open: IntGauge,
    pool_idle: IntGauge,
    pool_max: IntGauge,
}

impl Default for Metrics {
    fn default() -> Self {
        match Collectors::new() {
            Ok(collectors) => Self(Some(collectors)),
            Err(error) => {
                tracing::error!(error = %error, "the metrics could not be registered; /metrics will be empty");
                Self(None)
            }
        }
    }
}

impl Collectors {
    fn new() -> prometheus::Result<Self> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "cohort_http_requests_total",
                "HTTP responses, by method, route pattern and status.",
            ),
            &["method", "route", "status"],
        )?;
        let durations = HistogramVec::new(
            HistogramOpts::new(
                "cohort_http_request_duration_seconds",
                "Time from a request to its response's head, by method and route pattern.",
            ),
            &["method", "route"],
        )?;
        let jobs = IntGaugeVec::new(
            Opts::new(
                "cohort_jobs",
                "Background jobs (Refresh Stats, exports) in the database, by status.",
            ),
            &["state"],
        )?;
        let pool_open = IntGauge::new(
            "cohort_db_pool_connections",
            "Database connections this instance has open (in use or idle).",
        )?;
        let pool_idle = IntGauge::new(
            "cohort_db_pool_idle_connections",
            "Open database connections nobody uses now.",
        )?;
        let pool_max = IntGauge::new(
            "cohort_db_pool_max_connections",
            "The most database connections this instance opens.",
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(durations.clone()))?;
        registry.register(Box::new(jobs.clone()))?;
        registry.register(Box::new(pool_open.clone()))?;
        registry.register(Box::new(pool_idle.clone()))?;
        registry.register(Box::new(pool_max.clone()))?;
        Ok(Self {
            registry,
            requests,
            durations,
            jobs,
            pool_open,
            pool_idle,
            pool_max,
        })
    }
}

impl Metrics {
    /// Counts one response.
    fn observe(&self, method: &Method, route: &str, status: u16, seconds: f64) {
        let Some(collectors) = &self.0 else { return };
        let method = method_label(method);
        collectors
            .requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        collectors
            .durations
            .with_label_values(&[method, route])
            .observe(seconds);
    }

    /// Reads the job counts and the pool's state now, then writes everything in the text
    /// format. A failed job count is logged and leaves the last values.
    pub async fn render(&self, store: &Store) -> String {
        let Some(collectors) = &self.0 else {
            return String::new();
        };
        match store.job_counts().await {
            Ok(counts) => {
                for (status, jobs) in counts {
                    collectors
                        .jobs
                        .with_label_values(&[status.as_str()])
                        .set(i64::try_from(jobs).unwrap_or(i64::MAX));
                }
            }
            Err(error) => tracing::warn!(error = ?error, "counting jobs for /metrics failed"),
        }
        if let Some(pool) = store.pool_usage() {
            collectors.pool_open.set(i64::from(pool.open));
            collectors.pool_idle.set(i64::from(pool.idle));
            collectors.pool_max.set(i64::from(pool.max));
        }
        let mut text = Vec::new();
        if let Err(error) = TextEncoder::new().encode(&collectors.registry.gather(), &mut text) {
            tracing::error!(error = %error, "encoding /metrics failed");
        }
        String::from_utf8(text).unwrap_or_default()
    }
}

/// A bounded method label.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// A route's pattern as the API documents it: a segment's restriction is dropped
/// (`/users/{user:[0-9]+}` → `/users/{user}`).
fn route_label(pattern: &str) -> String {
    let mut label = String::with_capacity(pattern.len());
    // Braces open inside the current segment's braces: 1 in `{user`, 2 in `{user:[0-9]{`.
    let mut depth = 0_usize;
    let mut restricted = false;
    for character in pattern.chars() {
        match character {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ':' if depth == 1 => restricted = true,
            _ => {}
        }
        if depth == 0 {
            restricted = false;
        }
        if !restricted {
            label.push(character);
        }
    }
    label
}

/// The middleware, outermost: counts and times every response by its route's pattern.
pub(crate) async fn record(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = request.method().clone();
    let metrics = request
        .app_data::<web::Data<crate::state::AppState>>()
        .map(|state| state.metrics.clone());
    let route = request.match_pattern().map_or_else(
        || UNMATCHED_ROUTE.to_owned(),
        |pattern| route_label(&pattern),
    );
    let response = next.call(request).await;
    if let Some(metrics) = metrics {
        let status = match &response {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        metrics.observe(
            &method,
            &route,
            status.as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    response
}

/// Serves `GET /metrics` (and nothing else) on `listener`, with one worker thread.
pub fn serve_metrics(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    store: Store,
) -> std::io::Result<Server> {
    let metrics = web::Data::from(metrics);
    let store = web::Data::new(store);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(metrics.clone())
            .app_data(store.clone())
            .route("/metrics", web::get().to(scrape))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok(server)
}

async fn scrape(metrics: web::Data<Metrics>, store: web::Data<Store>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(prometheus::TEXT_FORMAT)
        .body(metrics.render(&store).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_is_labelled_by_its_documented_pattern() {
        assert_eq!(
            route_label("/api/v1/bots/{bot}/users/{user:[0-9]+}/messages"),
            "/api/v1/bots/{bot}/users/{user}/messages"
        );
        assert_eq!(route_label("/a/{id:[0-9]{1,3}}/b"), "/a/{id}/b");
        assert_eq!(route_label("/api/v1/bots/{bot}"), "/api/v1/bots/{bot}");
    }

    #[test]
    fn responses_are_counted_by_route_pattern_and_bounded_method() {
        let metrics = Metrics::default();
        let route = "/api/v1/bots/{bot}/users";
        metrics.observe(&Method::GET, route, 200, 0.01);
        metrics.observe(&Method::GET, route, 200, 0.02);
        let odd = Method::from_bytes(b"BREW").unwrap_or(Method::TRACE);
        metrics.observe(&odd, UNMATCHED_ROUTE, 404, 0.001);
        let Some(collectors) = &metrics.0 else {
            panic!("no collectors")
        };
        let mut text = Vec::new();
        TextEncoder::new()
            .encode(&collectors.registry.gather(), &mut text)
            .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(text).unwrap_or_default();
        assert!(
            text.contains(
                "cohort_http_requests_total{method=\"GET\",route=\"/api/v1/bots/{bot}/users\",status=\"200\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "cohort_http_requests_total{method=\"other\",route=\"unmatched\",status=\"404\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains("cohort_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/bots/{bot}/users\"} 2"),
            "{text}"
        );
    }
}
