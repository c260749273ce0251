//! Personas: naming a segment from its profile, the strategy (channel, offer, message) that follows, and
//! the vocabulary both draw on. Imports `crate::fmt` only. Entry points:
//! [`persona::build_personas`], [`persona::rename`], [`strategy::next_best_category`].

pub mod persona;
pub mod strategy;
pub mod vocabulary;
