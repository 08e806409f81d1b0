//! The API token of this browser tab, kept in `sessionStorage` so that it survives a reload
//! but not the closing of the tab.

/// The `sessionStorage` key of the token.
const TOKEN_KEY: &str = "cohort.token";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The stored token, if any.
pub fn load_token() -> Option<String> {
    storage()?
        .get_item(TOKEN_KEY)
        .ok()
        .flatten()
        .filter(|token| !token.trim().is_empty())
}

/// Remembers `token` for this tab. Storage can be unavailable (private modes); the token
/// then lasts until the page is reloaded.
pub fn store_token(token: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(TOKEN_KEY, token);
    }
}

/// Forgets the token.
pub fn clear_token() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(TOKEN_KEY);
    }
}
