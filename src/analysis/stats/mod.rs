//! What several capabilities share: special functions (ln Γ, ln B, ₂F₁), the normal, Student-t and
//! chi-square distributions (cdf, survival, quantile) and a restarting Nelder-Mead minimiser. Imports
//! nothing. Entry points: [`special`], [`dist`], [`optimize::minimise`].

pub mod dist;
pub mod optimize;
pub mod special;
