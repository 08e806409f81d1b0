//! The export's snapshot: what `open_export` reads is the selection as it was when the
//! snapshot opened, whatever is created, changed or deleted while the batches are read.

use cohort_core::api::{Selection, UpdateUser, UpsertUser};
use cohort_core::bulk::check_selection;
use cohort_core::export::ExportUser;
use cohort_store::ExportReader;
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
                    "attributes": {"plan": format!("p{index}")}})),
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
        .update_user(bot, &ids[0], &change)
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
                "attributes": {"late_key": "y"}})),
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
