//! What a timeline draws, lane by lane: its spans as rectangles, at most about
//! one a pixel and a half (thin spans gathered, each state keeping its share of
//! the width), and what the rectangle under a point says. Pure geometry, shared by
//! the chart (`timeline`) and its canvas (`timeline_canvas`).

use crate::model::trace::{LaneState, Span};

/// One rectangle to draw: a span, or spans too thin to see one by one,
/// shown in one of their states (see [`drawn`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Drawn {
    pub state: LaneState,
    pub start_ms: f64,
    pub end_ms: f64,
    pub x0: f64,
    pub x1: f64,
    pub count: usize,
}

/// The narrowest rectangle drawn on its own, in chart units.
const MIN_WIDTH: f64 = 1.5;

/// Spans too thin to draw, gathered into one rectangle, and each state's time among them.
type Bucket = (Drawn, Vec<(LaneState, f64)>);

/// At most about one rectangle per pixel and a half: a run with thousands of GIL switches
/// draws as many rectangles as the chart is wide, not one per switch.
///
/// A rectangle of thin spans is painted in the state owed most: each state is
/// owed its time in such rectangles so far, less the time of those painted in
/// it, so along a row each state's share of the painted width follows its share
/// of the time. Painted in each rectangle's largest state alone, two threads
/// taking 1 ms turns both looked mostly waiting: in every rectangle a waiting
/// thread's wait outlasts the other's turn by the hand-over.
pub(super) fn drawn(spans: impl Iterator<Item = Span>, x: &dyn Fn(f64) -> f64) -> Vec<Drawn> {
    fn flush(bucket: &mut Option<Bucket>, owed: &mut Vec<(LaneState, f64)>, out: &mut Vec<Drawn>) {
        let Some((mut d, shares)) = bucket.take() else {
            return;
        };
        let mut total = 0.0;
        for (state, ms) in shares {
            total += ms;
            match owed.iter_mut().find(|(s, _)| *s == state) {
                Some(o) => o.1 += ms,
                None => owed.push((state, ms)),
            }
        }
        if let Some(most) = owed.iter_mut().max_by(|a, b| a.1.total_cmp(&b.1)) {
            d.state = most.0;
            most.1 -= total;
        }
        out.push(d);
    }
    let mut out: Vec<Drawn> = Vec::new();
    let mut bucket: Option<Bucket> = None;
    let mut owed: Vec<(LaneState, f64)> = Vec::new();
    for span in spans.filter(|s| s.state != LaneState::Idle && s.duration_ms() > 0.0) {
        let (x0, x1) = (x(span.start_ms), x(span.end_ms));
        if x1 - x0 >= MIN_WIDTH {
            flush(&mut bucket, &mut owed, &mut out);
            out.push(Drawn { state: span.state, start_ms: span.start_ms, end_ms: span.end_ms, x0, x1, count: 1 });
            continue;
        }
        let (d, shares) = bucket.get_or_insert_with(|| {
            (Drawn { state: span.state, start_ms: span.start_ms, end_ms: span.end_ms, x0, x1, count: 0 }, Vec::new())
        });
        d.end_ms = span.end_ms;
        d.x1 = x1;
        d.count += 1;
        match shares.iter_mut().find(|(s, _)| *s == span.state) {
            Some(share) => share.1 += span.duration_ms(),
            None => shares.push((span.state, span.duration_ms())),
        }
        if d.x1 - d.x0 >= MIN_WIDTH {
            flush(&mut bucket, &mut owed, &mut out);
        }
    }
    flush(&mut bucket, &mut owed, &mut out);
    out
}

/// A lane's row as the chart draws it: where its bar is, and its rectangles.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    pub name: String,
    pub bar_y: f64,
    pub bar_height: f64,
    pub origin_ms: f64,
    pub rects: Vec<Drawn>,
}

impl Row {
    /// The states this row shows, as their keys ("running gil").
    pub(super) fn states(&self) -> String {
        let shown: Vec<&str> = LaneState::ALL
            .into_iter()
            .filter(|s| self.rects.iter().any(|d| d.state == *s))
            .map(LaneState::key)
            .collect();
        shown.join(" ")
    }

    /// What the rectangle at `x` says in a tooltip, if there is one.
    fn tip_at(&self, x: f64, ms_per_second: f64) -> Option<String> {
        let d = self.rects.iter().find(|d| x >= d.x0 - 0.5 && x <= d.x0 + (d.x1 - d.x0).max(MIN_DRAWN) + 0.5)?;
        let from = (d.start_ms - self.origin_ms) / ms_per_second;
        let to = (d.end_ms - self.origin_ms) / ms_per_second;
        Some(if d.count == 1 {
            format!("{}: {} from {from:.3} s to {to:.3} s", self.name, d.state.label())
        } else {
            format!("{}: {} spans from {from:.3} s to {to:.3} s, mostly {}", self.name, d.count, d.state.label())
        })
    }
}

/// The narrowest rectangle painted, in CSS pixels: a span never vanishes.
pub(super) const MIN_DRAWN: f64 = 0.6;

/// What the chart's rectangles say at a point of it, in CSS pixels.
pub(super) fn tip_at(rows: &[Row], x: f64, y: f64, ms_per_second: f64) -> Option<String> {
    let row = rows.iter().find(|r| y >= r.bar_y && y <= r.bar_y + r.bar_height)?;
    row.tip_at(x, ms_per_second)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(state: LaneState, start_ms: f64, end_ms: f64) -> Span {
        Span { state, start_ms, end_ms }
    }

    /// The width painted in `state`.
    fn painted(rects: &[Drawn], state: LaneState) -> f64 {
        rects.iter().filter(|d| d.state == state).map(|d| d.x1 - d.x0).sum()
    }

    #[test]
    fn thin_spans_merge_into_one_rectangle_per_pixel_and_a_half() {
        // 1000 alternating 0.1 ms spans over 100 ms, drawn 1 px per ms: a third waiting.
        let spans = (0..1000).map(|i| {
            let state = if i % 3 == 0 { LaneState::WaitingGil } else { LaneState::Running };
            span(state, i as f64 * 0.1, (i + 1) as f64 * 0.1)
        });
        let rects = drawn(spans, &|t| t);
        assert!(rects.len() <= 70, "{} rectangles", rects.len());
        assert_eq!(rects.iter().map(|d| d.count).sum::<usize>(), 1000);
        // Each state gets its share of the width, not the larger state all of it.
        let running = painted(&rects, LaneState::Running);
        let waiting = painted(&rects, LaneState::WaitingGil);
        assert!((running / (running + waiting) - 2.0 / 3.0).abs() < 0.05, "running {running} px, waiting {waiting} px");
    }

    #[test]
    fn threads_taking_turns_thinner_than_a_pixel_look_half_running() {
        // Two threads in 1 ms turns with a 0.05 ms hand-over, at 0.9 px per ms:
        // each rectangle holds a little more waiting than running.
        let mut spans = Vec::new();
        let mut t = 0.0;
        for _ in 0..400 {
            spans.push(span(LaneState::Running, t, t + 1.0));
            spans.push(span(LaneState::WaitingGil, t + 1.0, t + 2.05));
            t += 2.05;
        }
        let rects = drawn(spans.into_iter(), &|t| t * 0.9);
        let running = painted(&rects, LaneState::Running);
        let waiting = painted(&rects, LaneState::WaitingGil);
        let share = running / (running + waiting);
        assert!((share - 1.0 / 2.05).abs() < 0.03, "running painted {:.0}% of the bar", share * 100.0);
    }

    #[test]
    fn wide_spans_stay_as_they_are() {
        let rects = drawn([span(LaneState::Io, 0.0, 50.0), span(LaneState::Running, 50.0, 90.0)].into_iter(), &|t| t);
        assert_eq!(rects.len(), 2);
        assert_eq!((rects[0].state, rects[0].count), (LaneState::Io, 1));
    }
}
