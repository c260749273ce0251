//! Pure analyses: plain inputs in, plain results out, one error enum each, no terminal and no I/O.

pub mod metrics;
pub mod persona;
pub mod predict;
pub mod segment;
