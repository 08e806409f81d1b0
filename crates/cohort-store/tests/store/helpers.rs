//! Shared set-up: a fresh database with a workspace and a bot.

use cohort_core::api::CreateBot;
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
