//! Parallel Playground: the "Parallel Execution" deck beside live demos that run
//! on Web Workers and the browser's event loop.
//!
//! `deck` and `model` are pure Rust, tested natively; `runtime` is the only place
//! that talks to workers; `ui` holds the Yew components.

pub mod deck;
pub mod demos;
pub mod model;
pub mod runtime;
pub mod ui;
