//! Starting a test server and talking to it.

use cohort_store::testing::{now, workspace_name};
use std::net::TcpListener;

use cohort_api::{AppState, ExportFiles, Spa};
use cohort_store::testing::TestDatabase;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

pub struct TestApp {
    pub address: String,
    pub token: String,
    pub client: reqwest::Client,
    pub database: TestDatabase,
    /// Where this app keeps export files (its own folder unless given).
    pub exports: ExportFiles,
    /// The folder behind `exports` when it is a local one; removed on drop.
    pub exports_dir: Option<std::path::PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(dir) = &self.exports_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A fresh folder for export files.
pub fn temporary_export_dir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    std::env::temp_dir().join(format!(
        "cohort_test_exports_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        rand_suffix()
    ))
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// A response read whole: status, content type and JSON body (Null when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
}

impl Reply {
    pub async fn read(response: Response) -> Self {
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Self {
            status,
            content_type,
            body,
        }
    }

    /// Asserts a problem+json with this status and returns its `errors` pointers.
    pub fn assert_problem(&self, status: u16) -> Vec<String> {
        assert_eq!(self.status.as_u16(), status, "{self:?}");
        assert_eq!(self.content_type, "application/problem+json", "{self:?}");
        assert_eq!(self.body["status"], json!(status), "{self:?}");
        assert!(
            self.body["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{self:?}"
        );
        assert!(
            self.body["detail"].as_str().is_some_and(|t| !t.is_empty()),
            "{self:?}"
        );
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["pointer"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_serving(Spa::None).await
}

/// A test app that also serves the SPA from `spa`.
pub async fn spawn_app_serving(spa: Spa) -> TestApp {
    cohort_api::install_tls_provider();
    let dir = temporary_export_dir();
    let exports = ExportFiles::local(&dir).unwrap_or_else(|e| panic!("{e}"));
    spawn_app_with(spa, exports, Some(dir)).await
}

/// A test app keeping export files in `exports`.
pub async fn spawn_app_with(
    spa: Spa,
    exports: ExportFiles,
    exports_dir: Option<std::path::PathBuf>,
) -> TestApp {
    let database = TestDatabase::new()
        .await
        .unwrap_or_else(|e| panic!("test database: {e:?}"));
    spawn_app_on(database, spa, exports, exports_dir).await
}

/// A test app on a database prepared beforehand (its token is for the workspace "Acme").
pub async fn spawn_app_on(
    database: TestDatabase,
    spa: Spa,
    exports: ExportFiles,
    exports_dir: Option<std::path::PathBuf>,
) -> TestApp {
    spawn_app_configured(database, spa, exports, exports_dir, |state| state).await
}

/// A test app without a practical request quota (a billion a minute), for tests that
/// send thousands of requests with one token.
pub async fn spawn_app_without_quota() -> TestApp {
    let database = TestDatabase::new()
        .await
        .unwrap_or_else(|e| panic!("test database: {e:?}"));
    let dir = temporary_export_dir();
    let exports = ExportFiles::local(&dir).unwrap_or_else(|e| panic!("{e}"));
    let billion = std::num::NonZeroU32::new(1_000_000_000).unwrap_or(std::num::NonZeroU32::MAX);
    let limit = cohort_api::RateLimit {
        per_minute: billion,
        burst: billion,
    };
    spawn_app_configured(database, Spa::None, exports, Some(dir), |state| {
        state.with_rate_limit(limit)
    })
    .await
}

/// A test app whose state `configure` changes (another quota, another lease, …).
pub async fn spawn_app_configured(
    database: TestDatabase,
    spa: Spa,
    exports: ExportFiles,
    exports_dir: Option<std::path::PathBuf>,
    configure: impl FnOnce(AppState) -> AppState,
) -> TestApp {
    cohort_api::install_tls_provider();
    let workspace = database
        .store
        .workspace_by_name(&workspace_name("Acme"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let token = database
        .store
        .create_token(workspace, now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let server = cohort_api::serve(
        listener,
        configure(AppState::new(database.store.clone(), spa, exports.clone())),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(server);
    TestApp {
        address,
        token,
        client: reqwest::Client::new(),
        database,
        exports,
        exports_dir,
    }
}

impl TestApp {
    /// Starts a second server (its own connection pool and worker) on this app's database
    /// and export store, as a second instance of a deployment; returns its address.
    pub async fn spawn_second_instance(&self) -> String {
        let store = cohort_store::Store::connect(&self.database.url)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let address = format!(
            "http://{}",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        let server = cohort_api::serve(
            listener,
            AppState::new(store, Spa::None, self.exports.clone()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        tokio::spawn(server);
        address
    }
}

impl TestApp {
    /// Sends a request with this app's token and a JSON body (when given).
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.send_as(&self.token, method, path, body).await
    }

    /// Sends a request with another token.
    pub async fn send_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        Reply::read(request.send().await.unwrap_or_else(|e| panic!("{e}"))).await
    }

    /// Sends raw bytes with a content type.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: &'static str,
    ) -> Reply {
        let request = self
            .client
            .request(method, format!("{}{path}", self.address))
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body);
        Reply::read(request.send().await.unwrap_or_else(|e| panic!("{e}"))).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    /// Creates a bot and returns its id.
    pub async fn create_bot(&self, name: &str) -> String {
        let reply = self.post("/api/v1/bots", json!({"name": name})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
        reply.body["id"].as_str().unwrap_or_default().to_owned()
    }

    /// Creates or updates a user and returns the reply.
    pub async fn upsert_user(&self, bot: &str, body: Value) -> Reply {
        self.post(&format!("/api/v1/bots/{bot}/users"), body).await
    }

    /// The ids of the users a search returns (one page).
    pub async fn search_ids(&self, bot: &str, body: Value) -> Vec<String> {
        let reply = self
            .post(&format!("/api/v1/bots/{bot}/users/search"), body)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        reply.body["data"]
            .as_array()
            .map(|users| {
                users
                    .iter()
                    .filter_map(|u| u["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Checks a `202 Accepted` for a queued job: its body `{id, status, status_url}` and its
/// `Location`, both `<collection>/<id>`. Returns that URL.
pub async fn accepted(response: Response, collection: &str) -> String {
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let id = body["id"].as_str().unwrap_or_default();
    assert!(!id.is_empty(), "{body}");
    assert_eq!(body["status"], "queued", "{body}");
    let status_url = format!("{collection}/{id}");
    assert_eq!(body["status_url"], json!(status_url), "{body}");
    assert_eq!(location, status_url);
    status_url
}
