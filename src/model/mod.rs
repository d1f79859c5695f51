//! Pure Rust: the app's domain without the browser. Nothing here touches `web_sys`.

pub mod demo_state;
pub mod echo;
pub mod figures;
pub mod gil;
pub mod job;
pub mod lease;
pub mod main_clock;
pub mod outbox;
pub mod params;
pub mod process_start;
pub mod program;
pub mod protocol;
pub mod pyvalue;
pub mod random;
pub mod route;
pub mod shared_random;
pub mod speaker;
pub mod trace;
pub mod traceback;
pub mod urls;
