//! Lifetime value from order histories: RFM quintiles and segments, BG/NBD (who is still alive, how many
//! purchases next) and Gamma-Gamma (spend per purchase), fitted by maximum likelihood.
//! Imports [`crate::analysis::stats`] (special functions, Nelder-Mead). Entry points: [`rfm::score`],
//! [`bgnbd`], [`gamma_gamma`].

pub mod bgnbd;
pub mod gamma_gamma;
pub mod rfm;
