//! Pure Rust: the app's domain without the browser. Nothing here touches `web_sys`.

pub mod job;
pub mod protocol;
pub mod route;
