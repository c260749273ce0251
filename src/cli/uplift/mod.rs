//! `campaign-lens readout | plan-test | uplift`: did the campaign cause it? The test's readout, the size
//! a test needs (and a control group drawn for a list), and uplift models.

pub mod model;
pub mod plan;
pub mod readout;

use clap::Args;

/// The test table's roles, shared by `readout` and `uplift`.
#[derive(Debug, Clone, Args)]
pub struct RoleArgs {
    /// The treatment column (default: found by name and values: treatment, group, arm, segment, …).
    #[arg(long)]
    pub treatment: Option<String>,
    /// The control arm's value (default: control, No E-Mail, 0, no, …).
    #[arg(long)]
    pub control: Option<String>,
    /// Comma-separated outcome columns (default: visit, conversion, spend, response, … by name).
    #[arg(long, value_delimiter = ',')]
    pub outcome: Option<Vec<String>>,
}

impl RoleArgs {
    pub fn roles(&self) -> crate::pipeline::uplift::Roles<'_> {
        crate::pipeline::uplift::Roles {
            treatment: self.treatment.as_deref(),
            control: self.control.as_deref(),
            outcomes: self.outcome.as_deref(),
        }
    }
}

/// The frame as CSV with `extra` columns after its own (a column of the same name is replaced), in the
/// input's row order; cells are spreadsheet-safe.
pub fn frame_csv(df: &polars::prelude::DataFrame, extra: &[(&str, Vec<String>)]) -> String {
    use crate::data::profile::string_values;
    use crate::export::csv_cell;
    let own: Vec<(String, Vec<Option<String>>)> = df
        .columns()
        .iter()
        .filter(|c| !extra.iter().any(|(n, _)| *n == c.name().as_str()))
        .map(|c| (c.name().to_string(), string_values(c)))
        .collect();
    let mut names: Vec<String> = own.iter().map(|c| csv_cell(&c.0)).collect();
    names.extend(extra.iter().map(|(n, _)| csv_cell(n)));
    let mut text = names.join(",");
    text.push('\n');
    for i in 0..df.height() {
        let mut row: Vec<String> = own
            .iter()
            .map(|c| c.1[i].as_deref().map(csv_cell).unwrap_or_default())
            .collect();
        row.extend(extra.iter().map(|(_, v)| csv_cell(&v[i])));
        text.push_str(&row.join(","));
        text.push('\n');
    }
    text
}
