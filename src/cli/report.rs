//! `campaign-lens report FILE --out DIR`: the stakeholder report, with progress on stderr.

use std::path::Path;

use super::{load_options, CliResult, ReadArgs, UserError};
use crate::export::report::{build, ReportOptions};

pub struct ReportArgs<'a> {
    pub out: &'a Path,
    pub target: Option<&'a str>,
    pub k: &'a str,
    pub cost: Option<f64>,
    pub revenue: Option<f64>,
    pub force: bool,
    pub model: &'a str,
    pub json: bool,
}

pub fn report(file: &Path, read: &ReadArgs, a: &ReportArgs) -> CliResult {
    let k = match a.k {
        "auto" => None,
        n => Some(
            n.parse::<usize>()
                .map_err(|_| UserError(format!("--k must be a number or auto, got {n:?}")))?,
        ),
    };
    let opts = ReportOptions {
        target: a.target.map(String::from),
        k,
        cost_per_contact: a.cost,
        revenue_per_response: a.revenue,
        force: a.force,
        load: load_options(read)?,
        models: super::predict::model_choice(a.model)?,
    };
    let summary =
        build(file, a.out, &opts, &|step| eprintln!("report: {step}…")).map_err(UserError)?;
    eprintln!(
        "report: wrote {} files to {}",
        summary.files.len(),
        summary.out.display()
    );
    if a.json {
        super::print_json(&summary)?;
    } else {
        println!("{}", summary.out.join("index.html").display());
        println!("{}", summary.out.join("deck.html").display());
    }
    Ok(())
}
