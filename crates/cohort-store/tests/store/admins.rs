//! Admins and sessions in the store: an email in any case, one email per workspace, and a
//! session's clock. What an email and a password may be is `check_admin`'s (cohort-core).

use cohort_store::testing::TestDatabase;
use cohort_store::testing::{admin, now, workspace_name};
use cohort_store::{AdminWrite, SESSION_IDLE_MICROS, StoreError, WorkspaceScope, verify_password};

/// A fresh database with the workspace "Acme".
async fn acme() -> (TestDatabase, WorkspaceScope) {
    let database = TestDatabase::new()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let acme = database
        .store
        .workspace_by_name(&workspace_name("Acme"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    (database, acme)
}

fn pointers(error: StoreError) -> Vec<String> {
    match error {
        StoreError::Invalid(errors) => errors.into_iter().map(|e| e.pointer).collect(),
        other => panic!("expected an invalid request, got {other:?}"),
    }
}

#[tokio::test]
async fn an_admin_is_found_by_email_in_any_case_and_a_second_write_changes_the_password() {
    let (database, acme) = acme().await;
    let store = &database.store;
    let first = admin(" Ana@Acme.test", "first password");
    assert_eq!(
        store.set_admin_password(acme, &first, now()).await.ok(),
        Some(AdminWrite::Created)
    );
    let second = admin("ana@acme.test ", "second password");
    assert_eq!(
        store.set_admin_password(acme, &second, now()).await.ok(),
        Some(AdminWrite::PasswordChanged)
    );
    let found = store
        .admin_credentials("ANA@acme.test")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("the admin is found"));
    assert!(verify_password(
        "second password",
        Some(&found.password_hash)
    ));
    assert!(!verify_password(
        "first password",
        Some(&found.password_hash)
    ));
    assert!(!verify_password("second password", None));
    let other = store
        .workspace_by_name(&workspace_name("Other"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let error = store
        .set_admin_password(other, &admin("ana@acme.test", "long enough"), now())
        .await
        .err()
        .unwrap_or_else(|| panic!("another workspace's admin is refused"));
    assert_eq!(pointers(error), ["/email"]);
}

#[tokio::test]
async fn a_session_lives_until_it_has_been_idle_too_long() {
    let (database, acme) = acme().await;
    let store = &database.store;
    store
        .set_admin_password(acme, &admin("ana@acme.test", "long enough"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let admin = store
        .admin_credentials("ana@acme.test")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("the admin is found"));
    let start = 1_800_000_000_000_000;
    let secret = store
        .create_admin_session(admin.id, start)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let at = |now: i64| store.admin_session(&secret, now);
    // Each use moves the idle deadline on.
    let mut now = start;
    for _ in 0..3 {
        now += SESSION_IDLE_MICROS - 1;
        let session = at(now).await.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            session.map(|s| s.me.email),
            Some("ana@acme.test".to_owned())
        );
    }
    assert!(
        at(now + SESSION_IDLE_MICROS + 1)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
            .is_none()
    );
    // Gone for good once expired.
    assert!(at(now).await.unwrap_or_else(|e| panic!("{e:?}")).is_none());
}
