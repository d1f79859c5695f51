//! Paints a timeline's bars on its canvas: each state in the colours the
//! stylesheet gives it (`--span-*`, so light and dark schemes both hold), wide
//! spans with the state's pattern (hatched: waiting for the GIL; dotted:
//! sleeping or in I/O; crossed: blocked), thin ones plain. One path per fill,
//! whatever the number of rectangles.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{CanvasPattern, CanvasRenderingContext2d, HtmlCanvasElement};

use super::timeline_rows::{Row, MIN_DRAWN};
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

/// The rectangles of `rows`, grouped by how they are filled, in paint order,
/// their sides on whole pixels of a screen with `ratio` pixels to a CSS
/// pixel: a rectangle a pixel or two wide, between fractional sides, would be
/// painted blended with its neighbours (a thread running in turns of a pixel
/// each looked mostly orange), and rectangles of a row never overlap.
pub(super) fn by_fill(rows: &[Row], ratio: f64) -> Vec<(Fill, Vec<Rect>)> {
    let mut groups: Vec<(Fill, Vec<Rect>)> = Vec::new();
    for row in rows {
        // Screen pixels: where the last rectangle of the row ended.
        let mut cursor = f64::NEG_INFINITY;
        for d in &row.rects {
            let x0 = (d.x0 * ratio).round().max(cursor);
            // A span never vanishes: at least a pixel, and MIN_DRAWN.
            let x1 = (d.x1 * ratio).round().max(x0 + (MIN_DRAWN * ratio).ceil());
            cursor = x1;
            let (x0, width) = (x0 / ratio, (x1 - x0) / ratio);
            let fill = Fill::of(d.state, width);
            let rect = (x0, row.bar_y, width, row.bar_height);
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
    for (fill, rects) in by_fill(rows, ratio) {
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
    use crate::ui::timeline_rows::Drawn;

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
        let groups = by_fill(&rows, 1.0);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, Fill::Plain(LaneState::Running));
        assert_eq!(groups[0].1.len(), 2);
        // The sliver is still painted, a pixel wide.
        assert_eq!(groups[0].1[1], (10.0, 20.0, 1.0, 10.0));
        assert_eq!(groups[1].1, [(10.0, 0.0, 10.0, 10.0), (0.0, 20.0, 10.0, 10.0)]);
    }

    #[test]
    fn thin_turns_are_painted_on_whole_pixels_without_overlapping() {
        // Turns of 1.2 pixels, at fractional places: running, waiting, running...
        let rects: Vec<Drawn> = (0..20)
            .map(|i| {
                let state = if i % 3 == 0 { LaneState::Running } else { LaneState::WaitingGil };
                rect(state, 0.3 + 1.2 * i as f64, 0.3 + 1.2 * (i + 1) as f64)
            })
            .collect();
        let row = Row { name: "t".into(), bar_y: 0.0, bar_height: 10.0, origin_ms: 0.0, rects };
        for ratio in [1.0, 2.0, 1.5] {
            let mut all: Vec<(f64, f64, LaneState)> = by_fill(std::slice::from_ref(&row), ratio)
                .into_iter()
                .flat_map(|(fill, rects)| {
                    let state = match fill {
                        Fill::Plain(s) | Fill::Pattern(s) => s,
                    };
                    rects.into_iter().map(move |(x, _, w, _)| (x, x + w, state))
                })
                .collect();
            all.sort_by(|a, b| a.0.total_cmp(&b.0));
            for (x0, x1, _) in &all {
                let on_pixel = |x: f64| ((x * ratio) - (x * ratio).round()).abs() < 1e-9;
                assert!(on_pixel(*x0) && on_pixel(*x1), "{x0}..{x1} at {ratio}");
            }
            assert!(all.windows(2).all(|w| w[0].1 <= w[1].0 + 1e-9), "overlap at {ratio}: {all:?}");
            // Running keeps about its third of the row.
            let running: f64 = all.iter().filter(|r| r.2 == LaneState::Running).map(|r| r.1 - r.0).sum();
            assert!((running - 7.0 * 1.2).abs() <= 7.0 / ratio, "running {running} px at {ratio}");
        }
    }
}
