//! Writing users: create-or-update, patch semantics, tags and attributes, tenancy.

use cohort_store::testing::Checked;
use cohort_store::testing::{now, workspace_name};
use std::collections::BTreeMap;

use cohort_core::api::{UpdateUser, UpsertUser};
use cohort_core::filter::Expr;
use cohort_core::sort::Sort;
use cohort_store::{ListQuery, StoreError};

use crate::helpers::fixture;

fn upsert(channel: &str, external_id: &str) -> UpsertUser {
    UpsertUser {
        channel: channel.to_owned(),
        external_id: external_id.to_owned(),
        ..UpsertUser::default()
    }
}

#[tokio::test]
async fn upsert_creates_once_then_updates_the_same_user() {
    let f = fixture().await;
    let mut request = upsert(" Telegram ", "42");
    request.first_name = Some(Some("Yin Yin".to_owned()));
    request.tags = Some(vec!["VIP".to_owned()]);
    let (created, was_created) = f
        .store()
        .upsert_user(f.bot, &request.checked(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(was_created);
    assert_eq!(created.channel, "telegram");

    let mut again = upsert("telegram", "42");
    again.last_name = Some(Some("Tan".to_owned()));
    let (updated, was_created) = f
        .store()
        .upsert_user(f.bot, &again.checked(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!was_created);
    assert_eq!(updated.id, created.id);
    assert_eq!(
        (updated.first_name.as_str(), updated.last_name.as_str()),
        ("Yin Yin", "Tan")
    );
    assert_eq!(updated.tags, ["VIP"], "tags left out stay");
}

#[tokio::test]
async fn tags_are_one_per_spelling_case_insensitively_and_keep_the_first_spelling() {
    let f = fixture().await;
    let mut first = upsert("web", "1");
    first.tags = Some(vec!["VIP".to_owned()]);
    f.store()
        .upsert_user(f.bot, &first.checked(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut second = upsert("web", "2");
    second.tags = Some(vec!["vip".to_owned(), "New".to_owned()]);
    let (user, _) = f
        .store()
        .upsert_user(f.bot, &second.checked(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(user.tags, ["New", "VIP"]);
    let tags = f
        .store()
        .tags_in_use(f.bot)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let counts: Vec<(String, u64)> = tags.into_iter().map(|t| (t.name, t.users)).collect();
    assert_eq!(counts, [("VIP".to_owned(), 2), ("New".to_owned(), 1)]);
}

#[tokio::test]
async fn pages_carry_each_users_tags_by_folded_name_and_attributes_exactly_as_written() {
    // The page's tags and attributes are aggregated as JSON by the database: every text
    // must come back as it was written, whatever JSON would escape in it.
    let f = fixture().await;
    let tricky = [
        ("quote", "say \"hi\""),
        ("backslash", "C:\\path\\to"),
        ("emoji", "🎉 party"),
        ("separator", "a\u{2028}b"),
        ("zeros", "007"),
        ("json", "{\"a\": [1, 2]}"),
    ];
    let mut request = upsert("web", "1");
    request.tags = Some(
        ["émile", "Zed", "apple", "Ärger", "x\"y"]
            .map(str::to_owned)
            .to_vec(),
    );
    request.attributes = Some(
        tricky
            .iter()
            .map(|(key, value)| ((*key).to_owned(), Some((*value).to_owned())))
            .collect(),
    );
    f.store()
        .upsert_user(f.bot, &request.checked(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    f.store()
        .upsert_user(f.bot, &upsert("web", "2").checked(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let query = ListQuery {
        filter: Expr::everyone(),
        sort: Sort::default(),
        limit: 10,
        cursor: None,
        now: now(),
    };
    let page = f
        .store()
        .list_users(f.bot, &query)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut users = page.data;
    users.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    let [written, bare] = users.as_slice() else {
        panic!("expected two users, got {users:?}");
    };
    // By folded name, code point order: apple, x"y, zed, ärger, émile.
    assert_eq!(written.tags, ["apple", "x\"y", "Zed", "Ärger", "émile"]);
    let expected: BTreeMap<String, String> = tricky
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect();
    assert_eq!(written.attributes, expected);
    assert!(
        bare.tags.is_empty() && bare.attributes.is_empty(),
        "{bare:?}"
    );
    let one = f
        .store()
        .get_user(f.bot, &written.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(&one, written);
}

#[tokio::test]
async fn patch_sets_clears_and_removes_only_what_it_names() {
    let f = fixture().await;
    let mut request = upsert("web", "1");
    request.email = Some(Some("a@example.com".to_owned()));
    request.phone = Some(Some("+65 1".to_owned()));
    request.attributes = Some(BTreeMap::from([
        ("fav_food".to_owned(), Some("pizza".to_owned())),
        ("city".to_owned(), Some("Yangon".to_owned())),
    ]));
    let (user, _) = f
        .store()
        .upsert_user(f.bot, &request.checked(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    let patch = UpdateUser {
        email: Some(None),
        attributes: Some(BTreeMap::from([
            ("city".to_owned(), None),
            ("age".to_owned(), Some("31".to_owned())),
        ])),
        ..UpdateUser::default()
    };
    let patched = f
        .store()
        .update_user(f.bot, &user.id, &patch.checked(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(patched.email, None);
    assert_eq!(patched.phone.as_deref(), Some("+65 1"));
    assert_eq!(
        patched.attributes,
        BTreeMap::from([
            ("age".to_owned(), "31".to_owned()),
            ("fav_food".to_owned(), "pizza".to_owned())
        ])
    );
}

#[tokio::test]
async fn another_bots_or_workspaces_users_are_not_found() {
    let f = fixture().await;
    let (user, _) = f
        .store()
        .upsert_user(f.bot, &upsert("web", "1").checked(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let other_bot = f.new_bot("Other").await;
    assert!(matches!(
        f.store().get_user(other_bot, &user.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        f.store().delete_user(other_bot, &user.id).await,
        Err(StoreError::NotFound)
    ));

    let other_workspace = f
        .store()
        .workspace_by_name(&workspace_name("Other"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot_id = f.bot.bot_id().to_string();
    assert!(matches!(
        f.store().bot_scope(other_workspace, &bot_id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        f.store().get_user(f.bot, "not-a-number").await,
        Err(StoreError::NotFound)
    ));
    assert!(f.store().get_user(f.bot, &user.id).await.is_ok());
}

#[tokio::test]
async fn deleting_a_user_removes_their_tags_and_attributes() {
    let f = fixture().await;
    let mut request = upsert("web", "1");
    request.tags = Some(vec!["vip".to_owned()]);
    request.attributes = Some(BTreeMap::from([("k".to_owned(), Some("v".to_owned()))]));
    let (user, _) = f
        .store()
        .upsert_user(f.bot, &request.checked(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    f.store()
        .delete_user(f.bot, &user.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        f.store()
            .tags_in_use(f.bot)
            .await
            .unwrap_or_default()
            .is_empty()
    );
    let columns = f
        .store()
        .columns(f.bot)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(columns.attributes.is_empty(), "{:?}", columns.attributes);
}

/// A bulk action carries one time, the handler's `now`: the tags it creates and its audit
/// entry say the same instant (the store reads no clock of its own).
#[tokio::test]
async fn a_bulk_action_writes_the_one_time_it_is_given() {
    use cohort_core::bulk::{CheckedAction, CheckedSelection};
    use cohort_core::filter::Expr;
    use cohort_store::AuditRecord;

    let fixture = fixture().await;
    let (store, bot) = (fixture.store(), fixture.bot);
    store
        .upsert_user(bot, &upsert("web", "once").checked(), 1_000)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let now = 1_793_491_200_123_456;
    let selection = CheckedSelection::Filter {
        filter: Expr::everyone(),
        except: Vec::new(),
    };
    let audit = AuditRecord {
        actor: "test".to_owned(),
        details: serde_json::json!({"type": "add_tags"}),
        selection: serde_json::json!({"filter": {"all": []}}),
    };
    let action = CheckedAction::AddTags(vec!["once".to_owned()]);
    store
        .bulk(bot, &selection, &action, &audit, now)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot_id = bot.bot_id();
    for (what, sql) in [
        (
            "the tag",
            format!("SELECT created_at FROM tags WHERE bot_id = {bot_id}"),
        ),
        (
            "the audit entry",
            format!("SELECT created_at FROM audit_log WHERE bot_id = {bot_id}"),
        ),
    ] {
        let at = store
            .query_i64(&sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        assert_eq!(at, now, "{what} carries the action's time");
    }
}
