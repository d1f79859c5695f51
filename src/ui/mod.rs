//! Yew components. They render state and dispatch actions; the browser is
//! reached through `hooks` (URL hash, keyboard) and `crate::runtime` (workers).

pub mod app;
pub mod code;
pub mod console;
pub mod controls;
pub mod demo_pane;
pub mod demo_view;
pub mod heartbeat;
pub mod hooks;
pub mod live;
pub mod markdown;
pub mod nav;
pub mod slide;
pub mod state;
pub mod summary;
pub mod timeline;
pub mod worker_round_trip;

pub use app::App;

/// A trace as the views draw it, compared by identity: a view redraws for a
/// new snapshot, without comparing thousands of spans to find out.
#[derive(Clone, Debug)]
pub struct Snapshot(pub std::rc::Rc<crate::model::trace::Trace>);

impl PartialEq for Snapshot {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Snapshot {
    type Target = crate::model::trace::Trace;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
