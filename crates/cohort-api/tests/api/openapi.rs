//! The committed OpenAPI document is what the server generates.

use std::path::PathBuf;

#[test]
fn committed_openapi_document_matches_the_generated_one() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json");
    let generated = cohort_api::openapi_json();
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|value| value == "1") {
        std::fs::write(&path, &generated)
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date; run `just openapi` (UPDATE_OPENAPI=1 cargo test -p cohort-api --test api openapi) and commit it"
    );
}

#[test]
fn openapi_document_is_3_1_and_documents_every_endpoint() {
    let spec: serde_json::Value =
        serde_json::from_str(&cohort_api::openapi_json()).unwrap_or_default();
    assert_eq!(spec["openapi"], "3.1.0");
    for (path, method) in [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/api/v1/bots", "post"),
        ("/api/v1/bots/{bot}", "patch"),
        ("/api/v1/bots/{bot}/columns", "get"),
        ("/api/v1/bots/{bot}/tags", "get"),
        ("/api/v1/bots/{bot}/users", "get"),
        ("/api/v1/bots/{bot}/users", "post"),
        ("/api/v1/bots/{bot}/users/search", "post"),
        ("/api/v1/bots/{bot}/users/{user}", "delete"),
    ] {
        assert!(
            spec["paths"][path][method].is_object(),
            "{method} {path} is not documented"
        );
    }
    assert!(spec["components"]["schemas"]["Filter"].is_object());
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
}
