//! `Snapshot`: a trace the views share.

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
