//! Order logs to the customer table: the roll-up (orders, cancellations, returns), the lifetime fits
//! over it, the calibration/holdout tracking table, and the Value tab's view of the results.
//! Entry points: [`customers::customer_table`], [`customers::customers_workspace`], [`holdout::evaluate`],
//! [`value_view::value_view`].

pub mod customers;
pub mod fit;
pub mod holdout;
pub mod rollup;
pub mod value_view;
