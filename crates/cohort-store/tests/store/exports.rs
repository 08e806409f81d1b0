//! The export's snapshot: what `open_export` reads is the selection as it was when the
//! snapshot opened, whatever is created, changed or deleted while the batches are read.

use cohort_core::api::{Selection, UpdateUser, UpsertUser};
use cohort_core::bulk::check_selection;
use cohort_core::export::ExportUser;
use cohort_store::ExportReader;
use cohort_store::testing::Checked;
use serde_json::json;

use crate::helpers::fixture;

fn upsert(body: serde_json::Value) -> UpsertUser {
    serde_json::from_value(body).unwrap_or_else(|e| panic!("{e}"))
}

async fn read_all(mut reader: ExportReader) -> (Vec<String>, u64, Vec<ExportUser>) {
    let keys = reader.keys().to_vec();
    let total = reader.total();
    let mut users = Vec::new();
    loop {
        let batch = reader
            .next_batch()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        if batch.is_empty() {
            break;
        }
        users.extend(batch);
    }
    reader.close().await.unwrap_or_else(|e| panic!("{e:?}"));
    (keys, total, users)
}

#[tokio::test]
async fn users_created_changed_or_deleted_during_an_export_do_not_change_it() {
    let fixture = fixture().await;
    let store = fixture.store();
    let bot = fixture.bot;
    let mut ids = Vec::new();
    for index in 0..5 {
        let (user, _) = store
            .upsert_user(
                bot,
                &upsert(json!({"channel": "web", "external_id": format!("u{index}"),
                    "first_name": format!("Name {index}"), "tags": ["vip"],
                    "attributes": {"plan": format!("p{index}")}}))
                .checked(),
                cohort_store::testing::now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        ids.push(user.id);
    }
    let selection = check_selection(
        &Selection {
            filter: Some(json!({"all": []})),
            ..Selection::default()
        },
        "/selection",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let now = cohort_core::time::to_micros(chrono::Utc::now());
    let reader = store
        .open_export(bot, selection, now)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    // Meanwhile: one user changes, one is deleted, one is created with a new key.
    let change: UpdateUser = serde_json::from_value(json!({"first_name": "Changed",
        "tags": ["other"], "attributes": {"plan": "changed", "new_key": "x"}}))
    .unwrap_or_else(|e| panic!("{e}"));
    store
        .update_user(
            bot,
            &ids[0],
            &change.checked(),
            cohort_store::testing::now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .delete_user(bot, &ids[1])
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .upsert_user(
            bot,
            &upsert(json!({"channel": "web", "external_id": "late",
                "attributes": {"late_key": "y"}}))
            .checked(),
            cohort_store::testing::now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    let (keys, total, users) = read_all(reader).await;
    assert_eq!(keys, ["plan"]);
    assert_eq!(total, 5);
    let read_ids: Vec<String> = users.iter().map(|user| user.id.to_string()).collect();
    assert_eq!(read_ids, ids);
    for (index, user) in users.iter().enumerate() {
        assert_eq!(user.first_name, format!("Name {index}"));
        assert_eq!(user.tags, ["vip"]);
        assert_eq!(user.attributes, [("plan".to_owned(), format!("p{index}"))]);
    }
}

fn everyone() -> cohort_core::bulk::CheckedSelection {
    check_selection(
        &Selection {
            filter: Some(json!({"all": []})),
            ..Selection::default()
        },
        "/selection",
    )
    .unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
async fn batches_read_every_user_once_in_id_order_with_exact_values() {
    let fixture = fixture().await;
    let store = fixture.store();
    let bot = fixture.bot;
    // More than two batches, beside another bot's users that must not appear.
    let users = 2 * cohort_store::EXPORT_BATCH_USERS + 321;
    fixture
        .database
        .seed_users(bot, users)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let other = fixture.new_bot("Other").await;
    fixture
        .database
        .seed_users(other, 50)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    // Text a JSON round trip could bend, an average that needs 17 digits, no email, and
    // one user without tags or attributes.
    let odd = "\"quoted\" back\\slash\nline\ttab 🍕 שלום \u{1F}";
    let bot_id = bot.bot_id();
    store
        .execute_sql(&format!(
            "UPDATE users SET first_name = '{odd}', email = NULL WHERE id = (SELECT MIN(id) FROM users WHERE bot_id = {bot_id})"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .execute_sql(&format!(
            "UPDATE user_stats SET average_sentiment = 1.0 / 3.0, last_message_at = NULL WHERE user_id = (SELECT MIN(id) FROM users WHERE bot_id = {bot_id})"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .execute_sql(&format!(
            "UPDATE user_attributes SET value = '{odd}' WHERE key = 'city' AND user_id = (SELECT MIN(id) FROM users WHERE bot_id = {bot_id})"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    for table in ["user_tags", "user_attributes"] {
        store
            .execute_sql(&format!(
                "DELETE FROM {table} WHERE user_id = (SELECT MAX(id) FROM users WHERE bot_id = {bot_id})"
            ))
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
    }

    let reader = store
        .open_export(bot, everyone(), 0)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let (keys, total, read) = read_all(reader).await;
    assert_eq!(keys, ["app.plan", "city", "fav_food", "score"]);
    assert_eq!(total, users);
    assert_eq!(read.len() as u64, users);
    assert!(
        read.windows(2).all(|pair| pair[0].id < pair[1].id),
        "in id order, each once"
    );

    let first = &read[0];
    assert_eq!(first.first_name, odd);
    assert_eq!(first.email, None);
    assert_eq!(first.average_sentiment, Some(1.0 / 3.0));
    assert_eq!(first.last_message_at, None);
    assert_eq!(first.tags, ["alpha", "beta", "vip, gold"]);
    assert_eq!(first.attributes[1], ("city".to_owned(), odd.to_owned()));
    let second = &read[1];
    assert_eq!(second.first_name, "User");
    assert_eq!(
        second.email,
        Some(format!("user{}@example.com", &second.last_name[1..]))
    );
    assert_eq!(second.sessions, second.id % 7);
    assert_eq!(second.messages_sent, second.id % 31);
    assert_eq!(second.average_sentiment, Some(0.25));
    assert!(second.created_at > 1_793_491_200_000_000);
    let last = read.last().unwrap_or_else(|| panic!("no users"));
    assert!(last.tags.is_empty() && last.attributes.is_empty());
}
