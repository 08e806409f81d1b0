//! Load benchmark: CLIENTS concurrent clients against a real `cohort serve` process on
//! PERF-NOTES' data set (TOTAL users in ten bots, USERS in the largest, ~3 tags and 4
//! attributes each, `TestDatabase::seed_varied_users`), on the engine `COHORT_TEST_ENGINE`
//! names. Five phases, each with the same HTTP client:
//!
//! 1. the floor: a plain actix-web "hello" (29 bytes of JSON) in this process, 15 s;
//! 2. the list alone: `GET /api/v1/bots/{bot}/users?limit=50` on the largest bot, 15 s,
//!    and its ratio to the floor; then ingestion alone, 4 clients, 15 s, in events/s
//!    (into another bot, so that the mix meets the largest one as seeded);
//! 3. deep pages: one client walks the largest bot by cursor (pages of 500) and times a
//!    page of 50 at depths 0, 10k, 50k and 100k, for the default sort and its reverse, a
//!    stats sort and a name sort both ways (a nullable column each way);
//! 4. listing against bare SQL (`load/bare.rs`): #12's thirteen filters, first page and
//!    exact total through `POST /users/search`, beside hand-written SQL on a copy of the
//!    users laid out as PERF-NOTES recommends, median of 7, with the ratio;
//! 5. the mix, SECS seconds: a quarter of the clients list, a quarter search (four
//!    filters in turn), three eighths read one user by id, one eighth ingest batches of
//!    500 events (half from new users).
//!
//! Prints, per operation, requests, req/s, p50 and p99 in ms and the requests that were
//! not 2xx (with the first one's answer); then the server's peak RSS (`VmHWM`).
//!
//! `cargo bench -p cohort --bench load -- [USERS=300000] [TOTAL=1000000] [SECS=60] [CLIENTS=32]`

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cohort_store::testing::{TestDatabase, engine, now, workspace_name};

#[path = "load/bare.rs"]
mod bare;
use serde_json::{Value, json};

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// How long the floor and the list alone run.
const PHASE: Duration = Duration::from_secs(15);
/// Events in one ingest batch.
const BATCH: u64 = 500;

/// One kind of request of the mix.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Operation {
    Hello,
    List,
    Search,
    ReadUser,
    Ingest,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Self::Hello => "actix hello (floor)",
            Self::List => "GET /users?limit=50",
            Self::Search => "POST /users/search",
            Self::ReadUser => "GET /users/{id}",
            Self::Ingest => "POST /events (500)",
        }
    }
}

/// What one client saw: latencies in µs, and the requests that were not 2xx.
#[derive(Default)]
struct Seen {
    latencies: Vec<u64>,
    failures: u64,
    first_failure: Option<String>,
}

/// The requests a client sends, and what it needs to make them.
#[derive(Clone)]
struct Target {
    client: reqwest::Client,
    cohort: String,
    hello: String,
    token: String,
    bot: i64,
    /// The largest bot's user ids are `first_user..=last_user`.
    first_user: i64,
    last_user: i64,
    /// Numbers the ingest batches' event and user ids.
    next_event: Arc<AtomicU64>,
}

impl Target {
    async fn send(&self, operation: Operation, n: u64) -> Result<reqwest::Response, Failure> {
        let users = format!("{}/api/v1/bots/{}/users", self.cohort, self.bot);
        let request = match operation {
            Operation::Hello => self.client.get(&self.hello),
            Operation::List => self
                .client
                .get(format!("{users}?limit=50"))
                .bearer_auth(&self.token),
            Operation::Search => {
                let word = ["ann", "ia", "son", "en"][(n % 4) as usize];
                let filters = [
                    json!({"column": "first_name", "function": "contains", "value": word}),
                    json!({"column": "tags", "function": "has", "value": "beta"}),
                    json!({"column": "sessions", "function": "greater_than", "value": n % 12}),
                    json!({"all": [
                        {"column": "channel", "function": "is_any_of", "value": ["web", "telegram"]},
                        {"column": "attributes.city", "function": "equals", "value": "berlin"},
                        {"column": "messages_sent", "function": "greater_than", "value": 3},
                    ]}),
                ];
                self.client
                    .post(format!("{users}/search"))
                    .bearer_auth(&self.token)
                    .json(&json!({"filter": filters[(n % 4) as usize], "limit": 50}))
            }
            Operation::ReadUser => {
                let span = u64::try_from(self.last_user - self.first_user + 1).unwrap_or(1);
                // A spread of ids: n times a prime, so that clients do not read in step.
                let id = self.first_user + i64::try_from(n.wrapping_mul(7919) % span)?;
                self.client
                    .get(format!("{users}/{id}"))
                    .bearer_auth(&self.token)
            }
            Operation::Ingest => {
                let first = self.next_event.fetch_add(BATCH, Ordering::Relaxed);
                let events: Vec<Value> = (first..first + BATCH)
                    .map(|event| {
                        // Half from new users, half from users the batch met before.
                        let user = if event % 2 == 0 { event } else { event - 1 };
                        json!({
                            "id": format!("load-{event}"),
                            "type": "message",
                            "channel": "web",
                            "external_user_id": format!("load-user-{user}"),
                            "text": if event % 3 == 0 { "thanks, that was quick!" } else { "where is my order?" },
                            "at": "2026-12-01T10:00:00Z",
                        })
                    })
                    .collect();
                self.client
                    .post(format!("{}/api/v1/bots/{}/events", self.cohort, self.bot))
                    .bearer_auth(&self.token)
                    .json(&json!({"events": events}))
            }
        };
        Ok(request.send().await?)
    }
}

impl Target {
    /// One page of the largest bot's users in `sort` order, after `cursor`.
    async fn page(&self, sort: &str, limit: u64, cursor: Option<&str>) -> Result<Value, Failure> {
        // Sort keys and cursors (URL-safe base64) need no escaping in a query string.
        let mut url = format!(
            "{}/api/v1/bots/{}/users?sort={sort}&limit={limit}",
            self.cohort, self.bot
        );
        if let Some(cursor) = cursor {
            url.push_str("&cursor=");
            url.push_str(cursor);
        }
        let response = self.client.get(url).bearer_auth(&self.token).send().await?;
        if !response.status().is_success() {
            return Err(format!("{}: {}", response.status(), response.text().await?).into());
        }
        Ok(response.json().await?)
    }
}

/// Depths at which `deep_pages` times a page.
const DEPTHS: [u64; 4] = [0, 10_000, 50_000, 100_000];

/// One client: for each sort, walks the largest bot by cursor in pages of 500 and, at each
/// of `DEPTHS`, times the next page of 50 seven times; prints the medians in ms.
async fn deep_pages(target: &Target, users: u64) -> Result<(), Failure> {
    println!(
        "\ndeep pages: a page of 50 (with the exact total) at each depth, reached by cursor, median of 7, ms:\n\
         | sort | {} |\n|---|---|---|---|---|",
        DEPTHS.map(|depth| depth.to_string()).join(" | ")
    );
    for sort in [
        "-last_message_at",
        "last_message_at",
        "-sessions",
        "first_name",
        "-first_name",
    ] {
        let mut cursor: Option<String> = None;
        let mut depth = 0;
        let mut cells = Vec::new();
        for checkpoint in DEPTHS {
            if checkpoint >= users {
                cells.push("past the bot".to_owned());
                continue;
            }
            while depth < checkpoint {
                let page = target.page(sort, 500, cursor.as_deref()).await?;
                cursor = page["next_cursor"].as_str().map(str::to_owned);
                depth += 500;
                if cursor.is_none() {
                    return Err(format!("{sort}: the bot ended at depth {depth}").into());
                }
            }
            let mut times = Vec::new();
            for _ in 0..7 {
                let sent = Instant::now();
                target.page(sort, 50, cursor.as_deref()).await?;
                times.push(sent.elapsed());
            }
            times.sort_unstable();
            cells.push(format!("{:.1}", times[3].as_secs_f64() * 1000.0));
        }
        println!("| {sort} | {} |", cells.join(" | "));
    }
    Ok(())
}

/// Runs one client sending `operation` until `deadline`.
async fn client(target: Target, operation: Operation, deadline: Instant, seed: u64) -> Seen {
    let mut seen = Seen::default();
    let mut n = seed;
    while Instant::now() < deadline {
        n += 1;
        let sent = Instant::now();
        let answer = target.send(operation, n).await;
        let failure = match answer {
            Ok(response) if response.status().is_success() => {
                // Read the whole body, as a real client does.
                response.bytes().await.err().map(|e| e.to_string())
            }
            Ok(response) => {
                let status = response.status();
                Some(format!(
                    "{status}: {}",
                    response.text().await.unwrap_or_default()
                ))
            }
            Err(error) => Some(error.to_string()),
        };
        seen.latencies
            .push(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX));
        if let Some(failure) = failure {
            seen.failures += 1;
            seen.first_failure.get_or_insert(failure);
        }
    }
    seen
}

/// Runs `roles` (one operation a client) for `length`; what each operation saw.
async fn phase(
    target: &Target,
    roles: &[Operation],
    length: Duration,
) -> BTreeMap<Operation, Seen> {
    let deadline = Instant::now() + length;
    let mut running = Vec::new();
    for (index, operation) in roles.iter().enumerate() {
        let seed = index as u64 * 1_000_003;
        running.push((
            *operation,
            tokio::spawn(client(target.clone(), *operation, deadline, seed)),
        ));
    }
    let mut by_operation: BTreeMap<Operation, Seen> = BTreeMap::new();
    for (operation, task) in running {
        let seen = task.await.unwrap_or_default();
        let total = by_operation.entry(operation).or_default();
        total.latencies.extend(seen.latencies);
        total.failures += seen.failures;
        if total.first_failure.is_none() {
            total.first_failure = seen.first_failure;
        }
    }
    by_operation
}

/// The `q`-quantile of sorted latencies, in ms.
fn quantile_ms(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index] as f64 / 1000.0
}

/// Prints one table row per operation; the req/s of each.
fn report(
    by_operation: &mut BTreeMap<Operation, Seen>,
    length: Duration,
) -> BTreeMap<Operation, f64> {
    let mut rates = BTreeMap::new();
    for (operation, seen) in by_operation.iter_mut() {
        seen.latencies.sort_unstable();
        let rate = seen.latencies.len() as f64 / length.as_secs_f64();
        rates.insert(*operation, rate);
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {} |",
            operation.name(),
            seen.latencies.len(),
            rate,
            quantile_ms(&seen.latencies, 0.5),
            quantile_ms(&seen.latencies, 0.99),
            seen.failures,
        );
        if let Some(failure) = &seen.first_failure {
            println!(
                "  first failure: {}",
                failure.chars().take(300).collect::<String>()
            );
        }
    }
    rates
}

const HEADER: &str =
    "| operation | requests | req/s | p50 ms | p99 ms | not 2xx |\n|---|---|---|---|---|---|";

/// A running `cohort serve`, killed when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(database_url: &str, export_dir: &std::path::Path) -> Result<Self, Failure> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cohort"))
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                database_url,
            ])
            .arg("--export-store")
            .arg(export_dir)
            // The clients are the load, not abuse: never throttled.
            .args(["--rate-limit-per-minute", "1000000000"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let mut lines = BufReader::new(stderr).lines();
        let address = loop {
            let line = lines.next().ok_or("cohort exited before serving")??;
            if let Some(rest) = line.strip_prefix("Cohort is serving on ") {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
        };
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                eprintln!("cohort: {line}");
            }
        });
        Ok(Self { child, address })
    }

    /// A line of `/proc/<pid>/status` (`VmHWM`, `VmRSS`) in MiB.
    fn memory_mib(&self, field: &str) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default()
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .map_or(0.0, |kib| kib / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain actix-web server answering `{"message":"Hello, world!!"}` (29 bytes) on two
/// workers, as PERF-NOTES measured the floor; its address.
fn hello_server() -> Result<String, Failure> {
    use actix_web::{App, HttpResponse, HttpServer, web};
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://{}/", listener.local_addr()?);
    let server = HttpServer::new(|| {
        App::new().route(
            "/",
            web::get().to(|| async {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .body(r#"{"message":"Hello, world!!"}"#)
            }),
        )
    })
    .workers(2)
    .listen(listener)?
    .run();
    tokio::spawn(server);
    Ok(address)
}

fn argument(n: usize, default: u64) -> u64 {
    std::env::args()
        .skip(1)
        .filter(|argument| !argument.starts_with('-'))
        .nth(n)
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let users = argument(0, 300_000);
    let total = argument(1, 1_000_000).max(users);
    let secs = argument(2, 60);
    let clients = usize::try_from(argument(3, 32))?.max(8);
    cohort_api::install_tls_provider();

    let database = TestDatabase::new().await.map_err(|e| format!("{e:?}"))?;
    let started = Instant::now();
    let bot = database
        .seed_data_set(users, total)
        .await
        .map_err(|e| format!("{e:?}"))?;
    println!(
        "{}: seeded {total} users in 10 bots, {users} in the largest, in {:.1} s",
        engine(),
        started.elapsed().as_secs_f64()
    );
    let store = &database.store;
    let postgres = engine() == "postgres";
    let built = bare::build_copy(store, postgres).await?;
    println!(
        "the bare copy (PERF-NOTES' layout) built in {:.1} s",
        built.as_secs_f64()
    );
    let workspace = store
        .workspace_by_name(&workspace_name("Test"), now())
        .await
        .map_err(|e| format!("{e:?}"))?;
    let token = store
        .create_token(workspace, now())
        .await
        .map_err(|e| format!("{e:?}"))?;
    let bot_id = bot.bot_id();
    let first_user = store
        .query_i64(&format!(
            "SELECT MIN(id) FROM users WHERE bot_id = {bot_id}"
        ))
        .await
        .map_err(|e| format!("{e:?}"))?;
    let last_user = store
        .query_i64(&format!(
            "SELECT MAX(id) FROM users WHERE bot_id = {bot_id}"
        ))
        .await
        .map_err(|e| format!("{e:?}"))?;

    let export_dir = std::env::temp_dir().join(format!("cohort_load_bench_{}", std::process::id()));
    let server = Server::start(&database.url, &export_dir)?;
    let target = Target {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(clients)
            .build()?,
        cohort: server.address.clone(),
        hello: hello_server()?,
        token,
        bot: bot_id,
        first_user,
        last_user,
        next_event: Arc::new(AtomicU64::new(0)),
    };

    println!(
        "\n{} clients, {} s each, one HTTP client for all:\n{HEADER}",
        clients,
        PHASE.as_secs()
    );
    let mut floor = phase(&target, &vec![Operation::Hello; clients], PHASE).await;
    let floor = report(&mut floor, PHASE);
    let mut list = phase(&target, &vec![Operation::List; clients], PHASE).await;
    let list = report(&mut list, PHASE);
    let ratio = list.get(&Operation::List).copied().unwrap_or_default()
        / floor.get(&Operation::Hello).copied().unwrap_or(1.0);
    println!("list alone / floor: {ratio:.2} (target ≥ 0.3)");
    // Into another bot, so that the mix meets the largest bot as seeded.
    let other = Target {
        bot: store
            .query_i64(&format!("SELECT MAX(id) FROM bots WHERE id <> {bot_id}"))
            .await
            .map_err(|e| format!("{e:?}"))?,
        ..target.clone()
    };
    let mut ingest = phase(&other, &[Operation::Ingest; 4], PHASE).await;
    let ingest = report(&mut ingest, PHASE);
    println!(
        "ingest alone, 4 clients: {:.0} events/s (target ≥ 20,000)",
        ingest.get(&Operation::Ingest).copied().unwrap_or_default() * BATCH as f64
    );

    deep_pages(&target, users).await?;
    bare::listing(&target, store, postgres).await?;

    let roles: Vec<Operation> = (0..clients)
        .map(|index| match index * 8 / clients {
            0 | 1 => Operation::List,
            2 | 3 => Operation::Search,
            4..=6 => Operation::ReadUser,
            _ => Operation::Ingest,
        })
        .collect();
    let length = Duration::from_secs(secs);
    println!("\nthe mix, {clients} clients for {secs} s on the {users}-user bot:\n{HEADER}");
    let mut mix = phase(&target, &roles, length).await;
    report(&mut mix, length);
    let failures: u64 = mix.values().map(|seen| seen.failures).sum();
    println!(
        "\nserver peak RSS {:.0} MiB (now {:.0} MiB); {failures} requests not 2xx in the mix",
        server.memory_mib("VmHWM"),
        server.memory_mib("VmRSS")
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&export_dir);
    Ok(())
}
