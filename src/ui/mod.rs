//! Yew components. They render state and dispatch actions; the browser is
//! reached through `hooks` (URL hash, keyboard) and `crate::runtime` (workers).

pub mod app;
pub mod blackout;
pub mod code;
pub mod console;
pub mod controls;
pub mod demo_mount;
pub mod demo_pane;
pub mod demo_view;
pub mod dialog;
pub mod fullscreen;
pub mod goto;
pub mod heartbeat;
pub mod help;
pub mod hooks;
pub mod live;
pub mod markdown;
pub mod memory;
pub mod nav;
pub mod outcome;
pub mod overview;
pub mod pane_host;
pub mod print;
pub mod print_demo;
pub mod race;
pub mod round_trip;
pub mod run_control;
pub mod slide;
pub mod snapshot;
pub mod speaker;
pub mod state;
pub mod summary;
pub mod swipe;
pub mod sync;
pub mod timeline;
pub mod timeline_canvas;
pub mod timeline_rows;
pub mod timeline_table;

pub use app::App;
