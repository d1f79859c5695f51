//! The browser side of concurrency: the only code that talks to `Worker`,
//! `postMessage` and the page's capabilities.

pub mod capabilities;
pub mod worker;
pub mod worker_entry;
