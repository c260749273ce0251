//! campaign-lens: a terminal dashboard for marketing analytics.
//!
//! Data flows one way: file → [`data::Workspace`] (the one Polars frame) → analysis inputs → results stored
//! in [`app::App`] → drawn by [`ui`]. The same analyses run headless from the CLI ([`cli`]).
//!
//! | folder | holds |
//! |---|---|
//! | [`data`] | load, tidy, profile, features, matrix: Polars in, plain Rust out |
//! | [`analysis`] | pure maths, one folder per capability ([`analysis::segments`], [`analysis::models`], [`analysis::personas`], [`analysis::money`], [`analysis::lifetime`], [`analysis::recommend`]) over the [`analysis::stats`] they share; a folder imports only itself and `stats` |
//! | [`pipeline`] | frame → analysis → columns back into the workspace, shared by the jobs and the CLI |
//! | [`app`] | state and [`app::Action`]s, no I/O; the keymap |
//! | [`ui`] | one drawing file per tab, reading `&App` |
//! | [`jobs`] | worker threads with progress and cancel |
//! | [`export`] | charts generic over the backend, the report and the deck |
//! | [`deploy`] | saved model files, `score`, SQL |
//! | [`cli`] | the headless commands and `bench` |
//!
//! Each folder's `mod.rs` opens with what it holds and its entry points.

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
