//! What several capabilities share: special functions (ln Γ, ln B, ₂F₁) and a restarting Nelder-Mead
//! minimiser. Imports nothing. Entry points: [`special`], [`optimize::minimise`].

pub mod optimize;
pub mod special;
