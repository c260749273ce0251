//! Workflows that join the shared frame to the pure analyses: frame → matrix → analysis → columns added back
//! to the `Workspace`. The TUI runs them as jobs and the CLI calls them directly, so both agree.

pub mod columns;
pub mod lifetime;
pub mod personas;
pub mod predict;
pub mod recommend;
pub mod rescore;
pub mod roi;
pub mod segments;
pub mod uplift;

pub use personas::*;
pub use segments::*;
