//! Money: what contacting the best-scored customers earns (profit and ROI curves, the break-even) and how
//! a budget splits across channels from per-campaign response. Imports nothing outside this folder.
//! Entry points: [`roi`] (profit curves, [`roi::by_group`]), [`channels::channel_table`] and
//! [`channels::allocate`].

pub mod channels;
pub mod roi;
