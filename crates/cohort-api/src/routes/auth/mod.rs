//! `/auth`: the app's sign-in with an admin's email and password, and its session cookie.

pub mod login;
pub mod logout;
pub mod me;
