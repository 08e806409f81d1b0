//! CSV exports over HTTP: 202 with a job, the worker writing the file, the download (its
//! headers and bytes, parsed back with the `csv` crate), hostile values, cancel and
//! remove, tenancy, the audit log, an S3-compatible store (moto on loopback) and two
//! instances sharing one database and store.

use cohort_store::testing::{now, workspace_name};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use cohort_api::{ExportFiles, Spa};
use cohort_core::api::{CreateBot, UpsertUser};
use cohort_store::testing::Checked;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, accepted, spawn_app, spawn_app_on, spawn_app_with, temporary_export_dir,
};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Starts an export; checks the 202, its body and `Location`; returns the export's URL.
async fn start_export(app: &TestApp, bot: &str, selection: Value) -> String {
    let response = app
        .client
        .post(format!("{}/api/v1/bots/{bot}/exports", app.address))
        .bearer_auth(&app.token)
        .json(&json!({ "selection": selection }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    accepted(response, &format!("/api/v1/bots/{bot}/exports")).await
}

/// Polls the export (at `address`) until it has ended, or 30 s have passed.
async fn wait_for_export_at(app: &TestApp, address: &str, status_url: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let response = app
            .client
            .get(format!("{address}{status_url}"))
            .bearer_auth(&app.token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let status = body["status"].as_str().unwrap_or_default();
        assert!(
            ["queued", "running", "succeeded", "failed", "cancelled"].contains(&status),
            "{body}"
        );
        if ["succeeded", "failed", "cancelled"].contains(&status) {
            return body;
        }
        assert!(Instant::now() < deadline, "the export did not end: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_export(app: &TestApp, status_url: &str) -> Value {
    wait_for_export_at(app, &app.address, status_url).await
}

/// A downloaded file: status, headers of interest and bytes.
struct Download {
    status: StatusCode,
    content_type: String,
    disposition: String,
    length: Option<u64>,
    bytes: Vec<u8>,
}

async fn download_at(app: &TestApp, address: &str, url: &str, range: Option<&str>) -> Download {
    let mut request = app
        .client
        .get(format!("{address}{url}"))
        .bearer_auth(&app.token)
        .header("accept-encoding", "gzip");
    if let Some(range) = range {
        request = request.header("range", range);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let length = header("content-length").parse().ok();
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .to_vec();
    Download {
        status,
        content_type,
        disposition,
        length,
        bytes,
    }
}

async fn download(app: &TestApp, url: &str) -> Download {
    download_at(app, &app.address, url, None).await
}

/// The file's rows after the BOM, parsed as CSV: header first.
fn parse(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(BOM), "the file starts with a BOM");
    let body = &bytes[BOM.len()..];
    assert!(!body.windows(3).any(|window| window == BOM), "only one BOM");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(body);
    reader
        .records()
        .map(|record| {
            record
                .unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// Rows keyed by their first cell (the user id), as column name → cell.
fn rows_by_id(rows: &[Vec<String>]) -> BTreeMap<String, BTreeMap<String, String>> {
    let header = &rows[0];
    rows[1..]
        .iter()
        .map(|row| {
            let cells = header.iter().cloned().zip(row.iter().cloned()).collect();
            (row[0].clone(), cells)
        })
        .collect()
}

async fn user_id(app: &TestApp, bot: &str, body: Value) -> String {
    let reply = app.upsert_user(bot, body).await;
    assert!(reply.status.is_success(), "{reply:?}");
    reply.body["id"].as_str().unwrap_or_default().to_owned()
}

/// Sets an attribute with plain SQL, past the API's checks.
async fn set_attribute_raw(app: &TestApp, bot: &str, user: &str, key: &str, value: &str) {
    let quoted = value.replace('\'', "''");
    app.database
        .store
        .execute_sql(&format!(
            "INSERT INTO user_attributes (user_id, bot_id, key, value, value_folded, value_number) \
             VALUES ({user}, {bot}, '{key}', '{quoted}', '{quoted}', NULL) \
             ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
}

const FIXED: [&str; 15] = [
    "id",
    "first_name",
    "last_name",
    "channel",
    "external_id",
    "email",
    "phone",
    "sessions",
    "messages_sent",
    "clicks",
    "time_spent_secs",
    "average_sentiment",
    "last_message_at",
    "created_at",
    "tags",
];

#[tokio::test]
async fn an_export_of_a_filter_downloads_as_exactly_those_users_and_values() {
    let app = spawn_app().await;
    let bot = app.create_bot("Pizza Palace").await;
    let yin = user_id(
        &app,
        &bot,
        json!({"channel": "telegram", "external_id": "42", "first_name": "Yin Yin",
               "last_name": "=1+1", "email": "yin@example.com", "phone": "+95 9 123",
               "tags": ["vip", "a, \"b\""],
               "attributes": {"app.plan": "pro", "score": "-5", "formula": " =1+1",
                              "nbsp": "\u{a0}@SUM(A1)", "wide": "＝1", "sum": "-2+3",

                              "emoji": "🍕🎉", "rtl": "שלום עולם"}}),
    )
    .await;
    let tan = user_id(
        &app,
        &bot,
        json!({"channel": "web", "external_id": "-7", "first_name": "Tan",
               "attributes": {"zeta": "+3.5"}}),
    )
    .await;
    let _other = user_id(
        &app,
        &bot,
        json!({"channel": "whatsapp", "external_id": "1", "first_name": "Other",
               "attributes": {"secret": "not exported"}}),
    )
    .await;
    // Values the API refuses (control characters, 10,000 characters) may come from older
    // data or other writers: written straight to the table.
    let long = format!("={}", "x".repeat(9_999));
    set_attribute_raw(&app, &bot, &yin, "app.plan", &long).await;
    set_attribute_raw(&app, &bot, &yin, "multi", "line one\r\nline \"two\", three").await;
    set_attribute_raw(&app, &bot, &yin, "tab", "\tx").await;

    let filter =
        json!({"column": "channel", "function": "is_any_of", "value": ["telegram", "web"]});
    let status_url = start_export(&app, &bot, json!({"filter": filter})).await;
    let export = wait_for_export(&app, &status_url).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    assert_eq!(export["rows"], 2, "{export}");
    assert_eq!(export["progress"], json!(1.0), "{export}");
    assert_eq!(export["error"], Value::Null, "{export}");
    assert!(
        export["created_by"]
            .as_str()
            .is_some_and(|by| by.starts_with("token:")),
        "{export}"
    );
    assert!(
        export["finished_at"].is_string() && export["expires_at"].is_string(),
        "{export}"
    );
    let download_url = format!("{status_url}/download");
    assert_eq!(export["download_url"], json!(download_url), "{export}");

    let file = download(&app, &download_url).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.content_type, "text/csv; charset=utf-8");
    assert_eq!(file.length, Some(file.bytes.len() as u64));
    assert_eq!(export["bytes"], json!(file.bytes.len()), "{export}");
    let name = file
        .disposition
        .strip_prefix("attachment; filename=\"pizza-palace-users-")
        .and_then(|rest| rest.strip_suffix("Z.csv\""))
        .unwrap_or_else(|| panic!("{}", file.disposition));
    assert_eq!(name.len(), "20261130T041500".len(), "{name}");
    assert!(file.bytes.ends_with(b"\r\n"), "CRLF line ends");

    let rows = parse(&file.bytes);
    let mut expected_header: Vec<String> = FIXED.map(str::to_owned).to_vec();
    for key in [
        "app.plan", "emoji", "formula", "multi", "nbsp", "rtl", "score", "sum", "tab", "wide",
        "zeta",
    ] {
        expected_header.push(format!("attr:{key}"));
    }
    assert_eq!(rows[0], expected_header);
    let by_id = rows_by_id(&rows);
    assert_eq!(by_id.keys().cloned().collect::<Vec<_>>().len(), 2);
    let yin_row = &by_id[&yin];
    assert_eq!(yin_row["first_name"], "Yin Yin");
    assert_eq!(yin_row["last_name"], "'=1+1");
    assert_eq!(yin_row["channel"], "telegram");
    assert_eq!(yin_row["external_id"], "42");
    assert_eq!(yin_row["email"], "yin@example.com");
    assert_eq!(yin_row["phone"], "'+95 9 123");
    assert_eq!(yin_row["sessions"], "0");
    assert_eq!(yin_row["average_sentiment"], "");
    assert_eq!(yin_row["last_message_at"], "");
    assert!(yin_row["created_at"].ends_with('Z'), "{yin_row:?}");
    assert_eq!(yin_row["tags"], "a, \"b\", vip");
    assert_eq!(yin_row["attr:app.plan"], format!("'{long}"));
    assert_eq!(yin_row["attr:score"], "-5");
    assert_eq!(yin_row["attr:formula"], "' =1+1");
    assert_eq!(yin_row["attr:nbsp"], "'\u{a0}@SUM(A1)");
    assert_eq!(yin_row["attr:wide"], "'＝1");
    assert_eq!(yin_row["attr:sum"], "'-2+3");
    assert_eq!(yin_row["attr:multi"], "line one\r\nline \"two\", three");
    assert_eq!(yin_row["attr:tab"], "'\tx");
    assert_eq!(yin_row["attr:emoji"], "🍕🎉");
    assert_eq!(yin_row["attr:rtl"], "שלום עולם");
    assert_eq!(yin_row["attr:zeta"], "");
    let tan_row = &by_id[&tan];
    assert_eq!(tan_row["external_id"], "'-7");
    assert_eq!(tan_row["attr:zeta"], "+3.5");
    assert_eq!(tan_row["tags"], "");
    assert_eq!(tan_row["attr:score"], "");
    assert_eq!(tan_row["email"], "");

    // One byte range answers 206 with that slice.
    let part = download_at(&app, &app.address, &download_url, Some("bytes=0-9")).await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes, file.bytes[..10]);

    // A HEAD gives the file's length and downloads nothing, so it is no download.
    let head = app
        .client
        .head(format!("{}{download_url}", app.address))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        head.headers()
            .get("content-length")
            .and_then(|value| value.to_str().ok()),
        Some(file.bytes.len().to_string().as_str())
    );

    // Starting and downloading are in the audit log.
    let audit = app.get(&format!("/api/v1/bots/{bot}/audit")).await;
    let entries = audit.body["data"].as_array().cloned().unwrap_or_default();
    let actions: Vec<&str> = entries
        .iter()
        .filter_map(|entry| entry["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        ["export_download", "export_download", "export_csv"],
        "{audit:?}"
    );
    assert_eq!(entries[2]["affected"], 2, "{audit:?}");
    assert_eq!(entries[2]["selection"]["filter"], filter, "{audit:?}");
    assert_eq!(entries[0]["details"]["range"], "bytes=0-9", "{audit:?}");
    assert!(
        entries[0]["actor"]
            .as_str()
            .is_some_and(|a| a.starts_with("token:"))
    );
}

#[tokio::test]
async fn a_selection_that_matches_nobody_gives_just_the_header() {
    let app = spawn_app().await;
    let bot = app.create_bot("Empty").await;
    user_id(
        &app,
        &bot,
        json!({"channel": "web", "external_id": "1", "attributes": {"k": "v"}}),
    )
    .await;
    let filter = json!({"column": "first_name", "function": "equals", "value": "nobody"});
    let status_url = start_export(&app, &bot, json!({"filter": filter})).await;
    let export = wait_for_export(&app, &status_url).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    assert_eq!(export["rows"], 0, "{export}");
    let file = download(&app, &format!("{status_url}/download")).await;
    let mut expected = BOM.to_vec();
    expected.extend_from_slice(FIXED.join(",").as_bytes());
    expected.extend_from_slice(b"\r\n");
    assert_eq!(file.bytes, expected);
}

#[tokio::test]
async fn another_bots_ids_export_nothing_of_theirs_and_foreign_exports_are_not_found() {
    let app = spawn_app().await;
    let ours = app.create_bot("Ours").await;
    let theirs = app.create_bot("Theirs").await;
    let mine = user_id(&app, &ours, json!({"channel": "web", "external_id": "1"})).await;
    let foreign = user_id(&app, &theirs, json!({"channel": "web", "external_id": "2"})).await;
    let status_url = start_export(&app, &ours, json!({"ids": [mine, foreign, "nope"]})).await;
    let export = wait_for_export(&app, &status_url).await;
    assert_eq!(export["rows"], 1, "{export}");
    let rows = parse(
        &download(&app, &format!("{status_url}/download"))
            .await
            .bytes,
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], mine);

    let id = export["id"].as_str().unwrap_or_default();
    for path in [
        format!("/api/v1/bots/{theirs}/exports/{id}"),
        format!("/api/v1/bots/{theirs}/exports/{id}/download"),
        format!("/api/v1/bots/{ours}/exports/999999"),
        format!("/api/v1/bots/{ours}/exports/abc/download"),
    ] {
        app.get(&path).await.assert_problem(404);
    }
    app.delete(&format!("/api/v1/bots/{theirs}/exports/{id}"))
        .await
        .assert_problem(404);
    let list = app.get(&format!("/api/v1/bots/{theirs}/exports")).await;
    assert_eq!(list.body["total"], 0, "{list:?}");

    // Another workspace sees none of it.
    let workspace = app
        .database
        .store
        .workspace_by_name(&workspace_name("Elsewhere"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let stranger = app
        .database
        .store
        .create_token(workspace, now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    app.send_as(&stranger, Method::GET, &status_url, None)
        .await
        .assert_problem(404);
    app.send_as(
        &stranger,
        Method::GET,
        &format!("{status_url}/download"),
        None,
    )
    .await
    .assert_problem(404);
}

#[tokio::test]
async fn a_cancelled_export_cannot_be_downloaded_and_a_second_delete_removes_it() {
    let app = spawn_app().await;
    let bot = app.create_bot("Cancel").await;
    user_id(&app, &bot, json!({"channel": "web", "external_id": "1"})).await;
    let status_url = start_export(&app, &bot, json!({"filter": {"all": []}})).await;
    let first = app.delete(&status_url).await;
    assert_eq!(first.status, StatusCode::NO_CONTENT, "{first:?}");
    let export = app.get(&status_url).await;
    // Cancelled, unless the worker finished it before the cancel arrived.
    let status = export.body["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if status == "cancelled" {
        assert!(export.body["finished_at"].is_string(), "{export:?}");
        assert_eq!(export.body["download_url"], Value::Null, "{export:?}");
        let refused = app.get(&format!("{status_url}/download")).await;
        refused.assert_problem(409);
        assert!(
            refused.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("cancelled")),
            "{refused:?}"
        );
        let second = app.delete(&status_url).await;
        assert_eq!(second.status, StatusCode::NO_CONTENT, "{second:?}");
    } else {
        assert_eq!(export.status, StatusCode::NOT_FOUND, "{export:?}");
    }
    app.get(&status_url).await.assert_problem(404);
    let list = app.get(&format!("/api/v1/bots/{bot}/exports")).await;
    assert_eq!(list.body["total"], 0, "{list:?}");
}

#[tokio::test]
async fn an_unfinished_export_is_409_and_a_removed_one_is_gone_with_its_file() {
    let app = spawn_app().await;
    let bot = app.create_bot("Lifecycle").await;
    user_id(&app, &bot, json!({"channel": "web", "external_id": "1"})).await;
    let status_url = start_export(&app, &bot, json!({"filter": {"all": []}})).await;
    let early = app.get(&format!("{status_url}/download")).await;
    if early.status != StatusCode::OK {
        early.assert_problem(409);
        let detail = early.body["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains("queued") || detail.contains("running"),
            "{early:?}"
        );
    }
    let export = wait_for_export(&app, &status_url).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    let dir = app.exports_dir.clone().unwrap_or_default();
    assert_eq!(
        files_under(&dir).len(),
        1,
        "one published file, no temporary one"
    );

    let removed = app.delete(&status_url).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{removed:?}");
    app.get(&status_url).await.assert_problem(404);
    app.get(&format!("{status_url}/download"))
        .await
        .assert_problem(404);
    assert!(files_under(&dir).is_empty(), "the file is deleted");
}

#[tokio::test]
async fn exports_are_listed_newest_first_in_keyset_pages() {
    let app = spawn_app().await;
    let bot = app.create_bot("Paged").await;
    let mut urls = Vec::new();
    for _ in 0..3 {
        urls.push(start_export(&app, &bot, json!({"ids": ["1"]})).await);
    }
    let first = app
        .get(&format!("/api/v1/bots/{bot}/exports?limit=2"))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{first:?}");
    assert_eq!(first.body["total"], 3, "{first:?}");
    let ids: Vec<String> = first.body["data"]
        .as_array()
        .map(|data| {
            data.iter()
                .filter_map(|e| e["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let expected: Vec<String> = urls
        .iter()
        .rev()
        .take(2)
        .map(|url| url.rsplit('/').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(ids, expected);
    let cursor = first.body["next_cursor"].as_str().unwrap_or_default();
    let second = app
        .get(&format!(
            "/api/v1/bots/{bot}/exports?limit=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(
        second.body["data"].as_array().map(Vec::len),
        Some(1),
        "{second:?}"
    );
    assert_eq!(second.body["next_cursor"], Value::Null, "{second:?}");
    app.get(&format!("/api/v1/bots/{bot}/exports?limit=0"))
        .await
        .assert_problem(400);
}

#[tokio::test]
async fn a_bad_selection_is_400_and_queues_nothing() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bad").await;
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/exports"),
            json!({"selection": {"filter": {"column": "nope", "function": "equals", "value": 1}}}),
        )
        .await;
    let pointers = reply.assert_problem(400);
    assert!(
        pointers.iter().all(|p| p.starts_with("/selection")),
        "{pointers:?}"
    );
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/exports"),
            json!({"selection": {}, "extra": 1}),
        )
        .await;
    reply.assert_problem(400);
    let list = app.get(&format!("/api/v1/bots/{bot}/exports")).await;
    assert_eq!(list.body["total"], 0, "{list:?}");
}

#[tokio::test]
async fn two_instances_on_one_database_share_export_jobs_and_files() {
    let app = spawn_app().await;
    let second = app.spawn_second_instance().await;
    let bot = app.create_bot("Shared").await;
    let id = user_id(&app, &bot, json!({"channel": "web", "external_id": "1"})).await;
    let status_url = start_export(&app, &bot, json!({"ids": [id]})).await;
    let export = wait_for_export_at(&app, &second, &status_url).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    let file = download_at(&app, &second, &format!("{status_url}/download"), None).await;
    assert_eq!(file.status, StatusCode::OK);
    let rows = parse(&file.bytes);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], id);
}

#[tokio::test]
async fn exports_are_stored_in_and_served_from_an_s3_compatible_bucket() {
    let moto = Moto::start().await;
    let bucket = "cohort-exports";
    let created = reqwest::Client::new()
        .put(format!("{}/{bucket}", moto.endpoint))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(created.status().is_success(), "{created:?}");
    let url = format!(
        "s3://{bucket}/some/prefix?endpoint={}&region=us-east-1&access_key_id=test&secret_access_key=test",
        moto.endpoint
    );
    let files = ExportFiles::from_url(&url).unwrap_or_else(|e| panic!("{e}"));
    let app = spawn_app_with(Spa::None, files, None).await;
    let bot = app.create_bot("Cloud").await;
    let id = user_id(
        &app,
        &bot,
        json!({"channel": "web", "external_id": "1", "first_name": "@cloud"}),
    )
    .await;
    let status_url = start_export(&app, &bot, json!({"ids": [id]})).await;
    let export = wait_for_export(&app, &status_url).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    let file = download(&app, &format!("{status_url}/download")).await;
    assert_eq!(file.status, StatusCode::OK);
    let rows = parse(&file.bytes);
    assert_eq!(rows[1][1], "'@cloud");

    // The object is in the bucket under the prefix, and no temporary one is left.
    let listing = reqwest::Client::new()
        .get(format!("{}/{bucket}?list-type=2", moto.endpoint))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(listing.matches("<Key>").count(), 1, "{listing}");
    assert!(listing.contains("<Key>some/prefix/exports/"), "{listing}");

    let removed = app.delete(&status_url).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{removed:?}");
    let listing = reqwest::Client::new()
        .get(format!("{}/{bucket}?list-type=2", moto.endpoint))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(listing.matches("<Key>").count(), 0, "{listing}");
}

#[tokio::test]
async fn an_export_whose_worker_died_is_redone_from_scratch_and_never_served_partial() {
    // The state a `kill -9` leaves: the job running under a worker that stopped
    // heartbeating, and half a file under that attempt's temporary name.
    let database = cohort_store::testing::TestDatabase::new()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let store = database.store.clone();
    let workspace = store
        .workspace_by_name(&workspace_name("Acme"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot = store
        .create_bot(
            workspace,
            &serde_json::from_value::<CreateBot>(json!({"name": "Crash"}))
                .unwrap_or_else(|e| panic!("{e}"))
                .checked(),
            now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let scope = store
        .bot_scope(workspace, &bot.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut ids = Vec::new();
    for index in 0..3 {
        let (user, _) = store
            .upsert_user(
                scope,
                &serde_json::from_value::<UpsertUser>(
                    json!({"channel": "web", "external_id": format!("u{index}")}),
                )
                .unwrap_or_else(|e| panic!("{e}"))
                .checked(),
                now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        ids.push(user.id);
    }
    let export = store
        .create_export(
            scope,
            &json!({"filter": {"all": []}}),
            "token:1",
            "crash-users.csv",
            0,
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let claimed = store
        .claim_job("dead-worker", Duration::from_secs(30), 0)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("nothing to claim"));
    assert_eq!(claimed.id(), export.id);
    let key = store
        .export_task(&claimed)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .key;
    let dir = temporary_export_dir();
    let partial = dir.join(format!("tmp/{key}.1"));
    std::fs::create_dir_all(partial.parent().unwrap_or(&dir)).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&partial, b"\xEF\xBB\xBFid,first_name\r\n1,half")
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .execute_sql("UPDATE jobs SET heartbeat_at = 0")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    let exports = ExportFiles::local(&dir).unwrap_or_else(|e| panic!("{e}"));
    let app = spawn_app_on(database, Spa::None, exports, Some(dir.clone())).await;
    let status_url = format!("/api/v1/bots/{}/exports/{}", bot.id, export.id);
    let export = wait_for_export(&app, &status_url).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    let file = download(&app, &format!("{status_url}/download")).await;
    let rows = parse(&file.bytes);
    assert_eq!(rows[0].len(), 15);
    let exported: Vec<String> = rows[1..].iter().map(|row| row[0].clone()).collect();
    assert_eq!(exported, ids);
    assert!(
        !partial.exists(),
        "the dead attempt's temporary file is deleted"
    );
    assert_eq!(files_under(&dir).len(), 1, "{:?}", files_under(&dir));
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

/// A moto S3 server on a free loopback port, stopped on drop. Fails the test when it
/// cannot start (`.ci/setup-tools` installs it).
struct Moto {
    child: std::process::Child,
    endpoint: String,
}

impl Moto {
    async fn start() -> Self {
        cohort_api::install_tls_provider();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let child = std::process::Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start moto_server (run .ci/setup-tools): {e}"));
        let moto = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if reqwest::get(format!("{}/moto-api/", moto.endpoint))
                .await
                .is_ok()
            {
                return moto;
            }
            assert!(
                Instant::now() < deadline,
                "moto_server did not start on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn an_expired_export_stays_listed_without_a_download_and_its_download_is_410() {
    let dir = temporary_export_dir();
    let exports = ExportFiles::local(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .with_ttl(Duration::ZERO);
    let app = spawn_app_with(Spa::None, exports, Some(dir.clone())).await;
    let bot = app.create_bot("Expiring").await;
    let id = user_id(&app, &bot, json!({"channel": "web", "external_id": "1"})).await;
    let status_url = start_export(&app, &bot, json!({"ids": [id]})).await;
    let export = wait_for_export(&app, &status_url).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    assert!(export["expires_at"].is_string(), "{export}");

    // The worker's sweep (once a minute): delete the file, mark the export.
    let store = &app.database.store;
    let now = chrono::Utc::now().timestamp_micros() + 1;
    let swept = app
        .exports
        .sweep_expired(store, now)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(swept, 1);
    assert!(files_under(&dir).is_empty());
    let export = app.get(&status_url).await;
    assert_eq!(export.body["status"], "succeeded", "{export:?}");
    assert_eq!(export.body["download_url"], Value::Null, "{export:?}");
    app.get(&format!("{status_url}/download"))
        .await
        .assert_problem(410);
}

#[tokio::test]
async fn files_no_export_owns_are_swept_and_nothing_else() {
    let dir = temporary_export_dir();
    let exports = ExportFiles::local(&dir).unwrap_or_else(|e| panic!("{e}"));
    let app = spawn_app_with(Spa::None, exports, Some(dir.clone())).await;
    let kept_bot = app.create_bot("Kept").await;
    let gone_bot = app.create_bot("Gone").await;
    let mut status_urls = Vec::new();
    for bot in [&kept_bot, &gone_bot] {
        let id = user_id(&app, bot, json!({"channel": "web", "external_id": "1"})).await;
        let status_url = start_export(&app, bot, json!({"ids": [id]})).await;
        let export = wait_for_export(&app, &status_url).await;
        assert_eq!(export["status"], "succeeded", "{export}");
        status_urls.push(status_url);
    }
    assert_eq!(files_under(&dir).len(), 2);
    // A temporary file a given-up attempt left, and a file that is no export's business.
    let left = dir.join(format!("tmp/exports/{kept_bot}/999-0000000000000000.csv.3"));
    let foreign = dir.join("notes/readme.txt");
    for path in [&left, &foreign] {
        std::fs::create_dir_all(path.parent().unwrap_or(&dir)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(path, b"x").unwrap_or_else(|e| panic!("{e}"));
    }
    let deleted = app.delete(&format!("/api/v1/bots/{gone_bot}")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{deleted:?}");

    let store = &app.database.store;
    let now = chrono::Utc::now().timestamp_micros();
    let early = app
        .exports
        .sweep_orphans(store, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(early, 0, "files younger than the grace period stay");
    let later = now + 3_600_000_000;
    let swept = app
        .exports
        .sweep_orphans(store, later)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        swept, 2,
        "the deleted bot's file and the left temporary file"
    );
    let mut remaining = files_under(&dir);
    remaining.sort();
    assert_eq!(remaining.len(), 2, "{remaining:?}");
    assert!(
        remaining
            .iter()
            .any(|path| path.ends_with("notes/readme.txt"))
    );
    let kept = app.get(&format!("{}/download", status_urls[0])).await;
    assert_eq!(kept.status, StatusCode::OK, "{kept:?}");
}
