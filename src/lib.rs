//! campaign-lens: a terminal dashboard for marketing analytics.
//!
//! Data flows one way: file → [`data::Workspace`] (the one Polars frame) → analysis inputs → results stored
//! in [`app::App`] → drawn by [`ui`]. The same analyses run headless from the CLI ([`cli`]).

pub mod analysis;
pub mod app;
pub mod cli;
pub mod config;
pub mod data;
pub mod deploy;
pub mod export;
pub mod fmt;
pub mod jobs;
pub mod palette;
pub mod pipeline;
pub mod session;
pub mod synth;
pub mod tui;
pub mod ui;
