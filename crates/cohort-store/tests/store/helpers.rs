//! Shared set-up: a fresh database with a workspace and a bot.

use cohort_core::api::{CreateBot, EventInput, IngestEvents};
use cohort_core::events::check_events;
use cohort_core::time::format_rfc3339;
use cohort_store::testing::Checked;
use cohort_store::testing::TestDatabase;
use cohort_store::testing::{now, workspace_name};
use cohort_store::{BotScope, Store, WorkspaceScope};

pub struct Fixture {
    pub database: TestDatabase,
    pub workspace: WorkspaceScope,
    pub bot: BotScope,
}

impl Fixture {
    pub fn store(&self) -> &Store {
        &self.database.store
    }

    /// Another bot in the same workspace.
    pub async fn new_bot(&self, name: &str) -> BotScope {
        new_bot(self.store(), self.workspace, name).await
    }
}

pub async fn new_bot(store: &Store, workspace: WorkspaceScope, name: &str) -> BotScope {
    let bot = store
        .create_bot(
            workspace,
            &CreateBot {
                name: name.to_owned(),
                session_timeout_secs: None,
            }
            .checked(),
            now(),
        )
        .await
        .unwrap_or_else(|error| panic!("create bot: {error:?}"));
    store
        .bot_scope(workspace, &bot.id)
        .await
        .unwrap_or_else(|error| panic!("bot scope: {error:?}"))
}

pub async fn fixture() -> Fixture {
    let database = TestDatabase::new()
        .await
        .unwrap_or_else(|error| panic!("test database: {error:?}"));
    let workspace = database
        .store
        .workspace_by_name(&workspace_name("Test"), now())
        .await
        .unwrap_or_else(|error| panic!("workspace: {error:?}"));
    let bot = new_bot(&database.store, workspace, "Test bot").await;
    Fixture {
        database,
        workspace,
        bot,
    }
}

/// Ingests one message from each of the users `{prefix}u{n}` for `n` in `users` (event ids
/// `{prefix}m{n}`), each a microsecond after the last.
pub async fn ingest_messages(
    store: &Store,
    bot: BotScope,
    prefix: &str,
    users: std::ops::Range<u64>,
) {
    let events: Vec<EventInput> = users
        .map(|n| EventInput {
            id: format!("{prefix}m{n}"),
            kind: "message".to_owned(),
            channel: "web".to_owned(),
            external_user_id: format!("{prefix}u{n}"),
            text: Some("hello".to_owned()),
            at: format_rfc3339(1_800_000_000_000_000 + i64::try_from(n).unwrap_or(0)),
            ..EventInput::default()
        })
        .collect();
    let checked = check_events(&IngestEvents { events }).unwrap_or_else(|e| panic!("{e:?}"));
    store
        .ingest(bot, &checked, now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
}
