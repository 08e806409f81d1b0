//! Limits on what a request may ask for, in one place so the API, the docs and the SPA
//! agree. Each exists to keep one request's cost bounded.

/// Largest page a list may return.
pub const MAX_PAGE_SIZE: u64 = 500;
/// Page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: u64 = 50;
/// Deepest nesting of `all`/`any` groups in a filter.
pub const MAX_FILTER_DEPTH: usize = 8;
/// Most conditions (leaves) in one filter.
pub const MAX_FILTER_CONDITIONS: usize = 100;
/// Most `all`/`any` groups in one filter, the outermost included.
pub const MAX_FILTER_GROUPS: usize = 100;
/// Most filters (conditions and groups) directly in one group.
pub const MAX_FILTER_GROUP_ITEMS: usize = 100;
/// Most items in a filter value list (`is_any_of`, `has_any_of`, `has_all_of`).
pub const MAX_FILTER_LIST_ITEMS: usize = 100;
/// Longest text value in a filter, in characters.
pub const MAX_FILTER_TEXT_CHARS: usize = 1_000;
/// Longest tag or attribute key, in characters.
pub const MAX_IDENTIFIER_CHARS: usize = 64;
/// Longest attribute value, in characters (a long note or a multi-line address fits).
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 10_000;
/// Longest profile field (names, email, phone, locale, timezone), in characters.
pub const MAX_PROFILE_FIELD_CHARS: usize = 255;
/// Longest avatar URL and notes, in characters.
pub const MAX_LONG_FIELD_CHARS: usize = 4_000;
/// Most tags or attributes given for one user in one request.
pub const MAX_ITEMS_PER_USER: usize = 200;
/// Longest bot name, in characters.
pub const MAX_BOT_NAME_CHARS: usize = 100;
/// Longest workspace name, in characters.
pub const MAX_WORKSPACE_NAME_CHARS: usize = 100;
/// Longest session timeout a bot may have: one week.
pub const MAX_SESSION_TIMEOUT_SECS: i64 = 7 * 24 * 3600;
/// Most user ids in a selection (`ids` or `except_ids`); larger selections go by filter.
pub const MAX_SELECTION_IDS: usize = 10_000;
/// Most tags one bulk action adds or removes.
pub const MAX_BULK_TAGS: usize = 100;
/// Most attributes one bulk action sets or removes.
pub const MAX_BULK_ATTRIBUTES: usize = 50;
/// Most events in one ingestion request.
pub const MAX_EVENTS_PER_BATCH: usize = 1_000;
/// Longest message text, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4_000;
/// Longest clicked URL, in characters.
pub const MAX_URL_CHARS: usize = 2_048;
/// Longest event id, in characters.
pub const MAX_EVENT_ID_CHARS: usize = 200;
/// How far after the server's clock an event may be stamped, in seconds: a day. A
/// channel's clock may run a little ahead; a day is a wrong clock, not skew.
pub const MAX_EVENT_LEAD_SECS: i64 = 24 * 3600;
/// Most texts in one sentiment request.
pub const MAX_SENTIMENT_TEXTS: usize = 1_000;
/// Fewest characters in an admin's password.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Most characters in an admin's password.
pub const MAX_PASSWORD_CHARS: usize = 200;
/// Most characters in an admin's email.
pub const MAX_EMAIL_CHARS: usize = 254;
/// The largest request body any endpoint takes, in bytes (a batch of 1,000 events of
/// 4,000-character messages needs about 5 MiB).
pub const MAX_JSON_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Longest `Idempotency-Key`, in characters (visible ASCII).
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;
/// How long a changing request's first answer is replayed for its idempotency key.
pub const IDEMPOTENCY_KEY_TTL_SECS: i64 = 24 * 3600;
/// How long a request may hold its idempotency key unanswered before a retry may take the
/// key over (the server that ran it is taken to have stopped).
pub const IDEMPOTENCY_KEY_LEASE_SECS: i64 = 5 * 60;
