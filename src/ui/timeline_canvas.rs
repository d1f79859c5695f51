//! Paints a timeline's bars on its canvas: each state in the colours the
//! stylesheet gives it (`--span-*`, so light and dark schemes both hold), wide
//! spans with the state's pattern (hatched: waiting for the GIL; dotted:
//! sleeping or in I/O; crossed: blocked), thin ones plain. One path per fill,
//! whatever the number of rectangles.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{CanvasPattern, CanvasRenderingContext2d, HtmlCanvasElement};

use super::timeline::{Row, MIN_DRAWN};
use crate::model::trace::LaneState;

/// Below this width (CSS pixels) a pattern cannot be seen: the span is plain.
const THIN: f64 = 3.0;

/// How a rectangle is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fill {
    Plain(LaneState),
    Pattern(LaneState),
}

impl Fill {
    /// The fill of a span in `state` drawn `width` pixels wide.
    pub(super) fn of(state: LaneState, width: f64) -> Fill {
        match state {
            LaneState::WaitingGil | LaneState::Io | LaneState::Blocked if width >= THIN => Fill::Pattern(state),
            _ => Fill::Plain(state),
        }
    }
}

/// The colours of the states, read from the stylesheet.
#[derive(Debug, Clone, PartialEq)]
struct Colours {
    /// Per state (in `LaneState::ALL` order): the plain colour, and the
    /// background and ink of its pattern.
    plain: Vec<String>,
    background: Vec<String>,
    ink: Vec<String>,
}

impl Colours {
    fn read(element: &web_sys::Element) -> Option<Colours> {
        let style = web_sys::window()?.get_computed_style(element).ok().flatten()?;
        let get = |name: String| style.get_property_value(&name).ok().map(|v| v.trim().to_owned()).unwrap_or_default();
        let each = |suffix: &str| LaneState::ALL.iter().map(|s| get(format!("--span-{}{suffix}", s.key()))).collect();
        Some(Colours { plain: each(""), background: each("-bg"), ink: each("-ink") })
    }

    fn index(state: LaneState) -> usize {
        LaneState::ALL.iter().position(|s| *s == state).unwrap_or(0)
    }
}

thread_local! {
    /// The patterns made for the last colours seen (the scheme seldom changes).
    static PATTERNS: RefCell<Option<(Colours, Vec<Option<CanvasPattern>>)>> = const { RefCell::new(None) };
}

/// A tile for the pattern of `state`, one pixel to a CSS pixel: the canvas's
/// own scale takes it to the screen's pixels.
fn tile(state: LaneState, background: &str, ink: &str) -> Option<HtmlCanvasElement> {
    let size = if state == LaneState::Io { 5.0 } else { 6.0 };
    let document = web_sys::window()?.document()?;
    let tile: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    tile.set_width(size as u32);
    tile.set_height(size as u32);
    let ctx = context(&tile)?;
    ctx.set_fill_style_str(background);
    ctx.fill_rect(0.0, 0.0, size, size);
    ctx.set_fill_style_str(ink);
    ctx.set_stroke_style_str(ink);
    ctx.begin_path();
    match state {
        LaneState::Io => {
            ctx.arc(2.5, 2.5, 1.2, 0.0, std::f64::consts::TAU).ok()?;
            ctx.fill();
        }
        LaneState::Blocked => {
            ctx.set_line_width(1.0);
            ctx.move_to(0.0, 0.0);
            ctx.line_to(size, size);
            ctx.move_to(size, 0.0);
            ctx.line_to(0.0, size);
            ctx.stroke();
        }
        _ => {
            // Diagonal stripes that meet across tiles.
            ctx.set_line_width(2.0);
            for (x0, y0) in [(-size, size), (0.0, size), (0.0, 2.0 * size)] {
                ctx.move_to(x0, y0);
                ctx.line_to(x0 + size, y0 - size);
            }
            ctx.stroke();
        }
    }
    Some(tile)
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// The patterns for `colours`, one per state (made once per scheme).
fn patterns(ctx: &CanvasRenderingContext2d, colours: &Colours) -> Vec<Option<CanvasPattern>> {
    PATTERNS.with(|cached| {
        let mut cached = cached.borrow_mut();
        if let Some((seen, made)) = cached.as_ref() {
            if seen == colours {
                return made.clone();
            }
        }
        let made: Vec<Option<CanvasPattern>> = LaneState::ALL
            .iter()
            .map(|s| {
                let i = Colours::index(*s);
                let tile = tile(*s, &colours.background[i], &colours.ink[i])?;
                ctx.create_pattern_with_html_canvas_element(&tile, "repeat").ok().flatten()
            })
            .collect();
        *cached = Some((colours.clone(), made.clone()));
        made
    })
}

/// A rectangle to fill: x, y, width, height in CSS pixels.
type Rect = (f64, f64, f64, f64);

/// The rectangles of `rows`, grouped by how they are filled, in paint order.
pub(super) fn by_fill(rows: &[Row]) -> Vec<(Fill, Vec<Rect>)> {
    let mut groups: Vec<(Fill, Vec<Rect>)> = Vec::new();
    for row in rows {
        for d in &row.rects {
            let width = (d.x1 - d.x0).max(MIN_DRAWN);
            let fill = Fill::of(d.state, width);
            let rect = (d.x0, row.bar_y, width, row.bar_height);
            match groups.iter_mut().find(|(f, _)| *f == fill) {
                Some((_, rects)) => rects.push(rect),
                None => groups.push((fill, vec![rect])),
            }
        }
    }
    groups
}

/// Paints `rows` on `canvas`, a chart `width` x `height` CSS pixels.
pub(super) fn paint(canvas: &HtmlCanvasElement, width: f64, height: f64, rows: &[Row]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let ratio = window.device_pixel_ratio().clamp(1.0, 4.0);
    let (w, h) = ((width * ratio).round() as u32, (height * ratio).round() as u32);
    // Setting a size clears the canvas, so only when it changes.
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    let Some(ctx) = context(canvas) else {
        return;
    };
    if ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).is_err() {
        return;
    }
    ctx.clear_rect(0.0, 0.0, width, height);
    let Some(colours) = Colours::read(canvas) else {
        return;
    };
    let patterns = patterns(&ctx, &colours);
    for (fill, rects) in by_fill(rows) {
        let (state, pattern) = match fill {
            Fill::Plain(state) => (state, None),
            Fill::Pattern(state) => (state, patterns.get(Colours::index(state)).cloned().flatten()),
        };
        match pattern {
            Some(pattern) => ctx.set_fill_style_canvas_pattern(&pattern),
            None => ctx.set_fill_style_str(&colours.plain[Colours::index(state)]),
        }
        ctx.begin_path();
        for (x, y, w, h) in rects {
            ctx.rect(x, y, w, h);
        }
        ctx.fill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::timeline::Drawn;

    fn rect(state: LaneState, x0: f64, x1: f64) -> Drawn {
        Drawn { state, start_ms: x0, end_ms: x1, x0, x1, count: 1 }
    }

    #[test]
    fn wide_waits_are_patterned_and_thin_ones_plain() {
        assert_eq!(Fill::of(LaneState::WaitingGil, 10.0), Fill::Pattern(LaneState::WaitingGil));
        assert_eq!(Fill::of(LaneState::WaitingGil, 1.0), Fill::Plain(LaneState::WaitingGil));
        assert_eq!(Fill::of(LaneState::Running, 100.0), Fill::Plain(LaneState::Running));
    }

    #[test]
    fn rectangles_are_grouped_by_fill_across_rows() {
        let row =
            |y: f64, rects: Vec<Drawn>| Row { name: "t".into(), bar_y: y, bar_height: 10.0, origin_ms: 0.0, rects };
        let rows = [
            row(0.0, vec![rect(LaneState::Running, 0.0, 10.0), rect(LaneState::WaitingGil, 10.0, 20.0)]),
            row(20.0, vec![rect(LaneState::WaitingGil, 0.0, 10.0), rect(LaneState::Running, 10.0, 10.1)]),
        ];
        let groups = by_fill(&rows);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, Fill::Plain(LaneState::Running));
        assert_eq!(groups[0].1.len(), 2);
        // The sliver is still painted, at the narrowest width.
        assert_eq!(groups[0].1[1], (10.0, 20.0, MIN_DRAWN, 10.0));
        assert_eq!(groups[1].1, [(10.0, 0.0, 10.0, 10.0), (0.0, 20.0, 10.0, 10.0)]);
    }
}
