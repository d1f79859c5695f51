//! The browser side of concurrency: the only code that talks to `Worker`,
//! `postMessage`, `Atomics` and the page's capabilities.
//!
//! Named after the Python it stands for: a [`Session`] is one run;
//! [`Thread`] and [`Process`] run a program each on a Web Worker;
//! [`Executor`] is `ThreadPoolExecutor` / `ProcessPoolExecutor` handing out
//! [`Future`]s; [`EventLoop`] is asyncio's loop on the page's own thread.

pub mod asyncio;
pub mod capabilities;
pub mod clock;
pub mod futures;
mod gil_link;
mod gil_shared;
mod host;
pub(crate) mod js_error;
mod live;
pub(crate) mod messages;
mod module;
pub mod pool;
pub mod round_trip;
pub mod session;
pub mod threading;
mod waits;
mod worker_arbiter;
pub mod worker_entry;
mod worker_fetch;

pub use self::futures::{as_completed, wait, Future, FutureState, ReturnWhen};
pub use asyncio::{gather, EventLoop, Task};
pub use host::TaskFailure;
pub use live::{terminate_all, workers_alive};
pub use module::{asset_url, page_base};
pub use pool::Executor;
pub use session::{GilImpl, GilMode, Session, SessionConfig};
pub use threading::{Process, Runner, Thread};
