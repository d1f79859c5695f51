//! The page's side of a session's message-based GIL. The arbiter runs in a
//! worker of its own (`worker_arbiter`), and each thread speaks to it over a
//! `MessageChannel` of its own, so no switch waits for the page. The worker
//! starts when the first thread needs it (or ahead, with the warm threads),
//! and ends when the last thread is gone; what the lanes say before it is
//! up waits in their ports.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use web_sys::{MessageChannel, MessagePort};

use super::host::WorkerHost;
use super::js_error::describe;
use crate::model::protocol::ToWorker;
use crate::model::trace::LaneId;

enum Link {
    /// No arbiter worker.
    Idle,
    /// One is starting; what to tell it once it is up.
    Starting(Vec<Told>),
    Ready(Rc<WorkerHost>),
}

enum Told {
    Lane(LaneId, MessagePort),
    Gone(LaneId),
}

pub(crate) struct GilLink {
    link: RefCell<Link>,
    /// The threads that take this GIL and are not gone.
    lanes: RefCell<BTreeSet<LaneId>>,
}

impl GilLink {
    pub(crate) fn new() -> GilLink {
        GilLink { link: RefCell::new(Link::Idle), lanes: RefCell::new(BTreeSet::new()) }
    }

    /// Whether an arbiter worker must be started now: none is up or starting.
    pub(crate) fn needs_start(&self) -> bool {
        let mut link = self.link.borrow_mut();
        if !matches!(*link, Link::Idle) {
            return false;
        }
        *link = Link::Starting(Vec::new());
        true
    }

    /// `lane` takes this GIL: the port it speaks to the arbiter through,
    /// and whether an arbiter worker must be started for it.
    pub(crate) fn add_lane(&self, lane: LaneId) -> Result<(MessagePort, bool), String> {
        let channel = MessageChannel::new().map_err(|e| format!("no channel to the GIL: {}", describe(e)))?;
        let start = self.needs_start();
        self.lanes.borrow_mut().insert(lane);
        self.tell(Told::Lane(lane, channel.port2()));
        Ok((channel.port1(), start))
    }

    /// `lane`'s worker is gone. If it was the last thread, the arbiter's
    /// worker is returned, to be finished.
    pub(crate) fn lane_gone(&self, lane: LaneId) -> Option<Rc<WorkerHost>> {
        if !self.lanes.borrow_mut().remove(&lane) {
            return None;
        }
        self.tell(Told::Gone(lane));
        if !self.lanes.borrow().is_empty() {
            return None;
        }
        let mut link = self.link.borrow_mut();
        match std::mem::replace(&mut *link, Link::Idle) {
            Link::Ready(host) => Some(host),
            // A worker still starting stays until its session ends.
            other => {
                *link = other;
                None
            }
        }
    }

    /// The arbiter's worker is up: it hears what waited for it.
    pub(crate) fn started(&self, host: Rc<WorkerHost>) -> Result<(), String> {
        host.arbitrate()?;
        let told = match std::mem::replace(&mut *self.link.borrow_mut(), Link::Ready(host.clone())) {
            Link::Starting(told) => told,
            _ => Vec::new(),
        };
        for told in told {
            send(&host, told)?;
        }
        Ok(())
    }

    /// The arbiter's worker did not start, or died: the threads that take
    /// this GIL, which can no longer get it. A finished worker leaves none.
    pub(crate) fn lost(&self, host: Option<&Rc<WorkerHost>>) -> Vec<LaneId> {
        let mut link = self.link.borrow_mut();
        let ours = match (&*link, host) {
            (Link::Ready(ready), Some(host)) => Rc::ptr_eq(ready, host),
            (Link::Starting(_), None) => true,
            _ => false,
        };
        if !ours {
            return Vec::new();
        }
        *link = Link::Idle;
        std::mem::take(&mut *self.lanes.borrow_mut()).into_iter().collect()
    }

    fn tell(&self, told: Told) {
        let mut link = self.link.borrow_mut();
        match &mut *link {
            Link::Starting(waiting) => waiting.push(told),
            Link::Ready(host) => {
                // A send fails only if the worker is gone, which `lost` handles.
                let _ = send(host, told);
            }
            Link::Idle => {}
        }
    }
}

fn send(host: &WorkerHost, told: Told) -> Result<(), String> {
    match told {
        Told::Lane(lane, port) => host.post_with_port(&ToWorker::ArbiterLane { lane }, &port),
        Told::Gone(lane) => {
            host.post(&ToWorker::LaneGone { lane });
            Ok(())
        }
    }
}
