//! ROI from the shared frame: default economics from the data, and campaign tables (roles detected from
//! column names, overridable) turned into channel metrics, response curves and a budget plan.

use serde::Serialize;

use super::PipelineError;
use crate::analysis::money::channels::{
    allocate, attribute_effects, channel_table, fit_curve, predict_totals, CampaignRow,
    ChannelStats, Curve, Effect, Totals,
};
use crate::analysis::money::roi::Economics;
use crate::data::profile::{f64_values, string_values};
use crate::data::Workspace;

/// Fallbacks when the data does not say (the marketing table's own Z_CostContact and Z_Revenue).
pub const DEFAULT_COST: f64 = 3.0;
pub const DEFAULT_REVENUE: f64 = 11.0;

/// Economics from the data where it says so, with a sentence per value saying where it came from.
pub fn default_economics(ws: &Workspace) -> (Economics, Vec<String>) {
    let constant = |name: &str| {
        let p = ws
            .profiles
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))?;
        (p.numeric && p.distinct == 1)
            .then_some(p.min?)
            .map(|v| (v, p.name.clone()))
    };
    let mut sources = Vec::new();
    let cost = match constant("Z_CostContact") {
        Some((v, n)) => {
            sources.push(format!("cost per contact {v} from the {n} column"));
            v
        }
        None => {
            sources.push(format!(
                "cost per contact {DEFAULT_COST} (default: the data has no Z_CostContact)"
            ));
            DEFAULT_COST
        }
    };
    let revenue = match constant("Z_Revenue") {
        Some((v, n)) => {
            sources.push(format!("revenue per response {v} from the {n} column"));
            v
        }
        None => {
            sources.push(format!(
                "revenue per response {DEFAULT_REVENUE} (default: the data has no Z_Revenue)"
            ));
            DEFAULT_REVENUE
        }
    };
    (
        Economics {
            cost_per_contact: cost,
            revenue_per_response: revenue,
            fixed_cost: 0.0,
            budget: None,
        },
        sources,
    )
}

/// Which column plays which part in a campaign table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Roles {
    pub group: Option<String>,
    pub spend: Option<String>,
    pub impressions: Option<String>,
    pub clicks: Option<String>,
    pub conversions: Option<String>,
    /// A conversion rate (× clicks gives conversions).
    pub conversion_rate: Option<String>,
    pub revenue: Option<String>,
    /// An ROI column (revenue = spend × (1 + ROI)).
    pub roi: Option<String>,
    /// Other text columns used as campaign attributes.
    pub attributes: Vec<String>,
}

fn find(ws: &Workspace, names: &[&str], numeric: bool) -> Option<String> {
    names.iter().find_map(|n| {
        ws.profiles
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(n) && p.numeric == numeric)
            .map(|p| p.name.clone())
    })
}

/// Detect roles from column names.
pub fn detect_roles(ws: &Workspace) -> Roles {
    let group = find(
        ws,
        &[
            "Channel",
            "Channel_Used",
            "CampaignChannel",
            "Campaign_Channel",
            "Campaign_Type",
            "Platform",
        ],
        false,
    );
    let attributes = ws
        .profiles
        .iter()
        .filter(|p| p.is_categorical() && Some(&p.name) != group.as_ref() && p.distinct <= 20)
        .map(|p| p.name.clone())
        .collect();
    Roles {
        spend: find(
            ws,
            &[
                "Spend",
                "Cost",
                "AdSpend",
                "Ad_Spend",
                "Acquisition_Cost",
                "Budget",
            ],
            true,
        ),
        impressions: find(ws, &["Impressions"], true),
        clicks: find(ws, &["Clicks"], true),
        conversions: find(
            ws,
            &["Conversions", "Conversion", "Purchases", "Sales"],
            true,
        ),
        conversion_rate: find(ws, &["Conversion_Rate", "ConversionRate"], true),
        revenue: find(ws, &["Revenue", "Sales_Revenue", "Income"], true),
        roi: find(ws, &["ROI"], true),
        group,
        attributes,
    }
}

impl Roles {
    /// A campaign table has at least a group and a spend column.
    pub fn is_campaign_table(&self) -> bool {
        self.group.is_some() && self.spend.is_some()
    }
}

/// A channel's metrics, response curve and planned spend. Curves are fitted per campaign and scaled to the
/// channel (its budget spread evenly over as many campaigns as it ran).
#[derive(Debug, Clone, Serialize)]
pub struct CampaignReport {
    pub roles: Roles,
    pub channels: Vec<ChannelStats>,
    pub curves: Vec<Option<Curve>>,
    /// Revenue per conversion used to value the plan.
    pub value_per_conversion: f64,
    pub current: Vec<f64>,
    pub proposed: Vec<f64>,
    pub before: Totals,
    pub after: Totals,
    pub effects: Vec<Effect>,
    pub bounds: f64,
}

fn col(ws: &Workspace, name: &Option<String>) -> Option<Vec<Option<f64>>> {
    name.as_ref()
        .and_then(|n| ws.df.column(n).ok())
        .and_then(f64_values)
}

/// Campaign rows with their roles.
pub fn campaign_rows(ws: &Workspace, roles: &Roles) -> Result<Vec<CampaignRow>, PipelineError> {
    let file = ws.file_name();
    let err = |m: &str| PipelineError::Segment(format!("{file}: {m}"));
    let group_col = roles
        .group
        .as_ref()
        .ok_or_else(|| err("no channel/group column (Channel, Campaign_Type, …); pass --group"))?;
    let groups = string_values(
        ws.df
            .column(group_col)
            .map_err(|_| err("no such group column"))?,
    );
    let spend = col(ws, &roles.spend)
        .ok_or_else(|| err("no numeric spend column (Spend, Cost, …); pass --spend"))?;
    let (imp, clicks) = (col(ws, &roles.impressions), col(ws, &roles.clicks));
    let conv = col(ws, &roles.conversions);
    let rate = col(ws, &roles.conversion_rate);
    let rev = col(ws, &roles.revenue);
    let roi = col(ws, &roles.roi);
    let at = |v: &Option<Vec<Option<f64>>>, i: usize| v.as_ref().and_then(|v| v[i]);
    Ok((0..ws.rows())
        .filter_map(|i| {
            let s = spend[i]?;
            let conversions = at(&conv, i).or_else(|| {
                // a 0/1 flag or a count is used as is; a rate needs clicks
                Some(at(&rate, i)? * at(&clicks, i)?)
            });
            let revenue = at(&rev, i).or_else(|| Some(s * (1.0 + at(&roi, i)?)));
            Some(CampaignRow {
                group: groups[i].clone().unwrap_or_else(|| "(missing)".into()),
                spend: s,
                impressions: at(&imp, i),
                clicks: at(&clicks, i),
                conversions,
                revenue,
            })
        })
        .collect())
}

/// Metrics, curves, a budget plan (each channel within ±`bounds` of today) and attribute effects on ROI.
pub fn campaign_report(
    ws: &Workspace,
    roles: &Roles,
    total: Option<f64>,
    bounds: f64,
) -> Result<CampaignReport, PipelineError> {
    let rows = campaign_rows(ws, roles)?;
    let channels = channel_table(&rows).map_err(|e| PipelineError::Segment(e.to_string()))?;
    let curves: Vec<Option<Curve>> = channels
        .iter()
        .map(|c| {
            let mine: Vec<&CampaignRow> = rows.iter().filter(|r| r.group == c.name).collect();
            let ys: Option<Vec<f64>> = mine.iter().map(|r| r.conversions).collect();
            let per_campaign = fit_curve(&mine.iter().map(|r| r.spend).collect::<Vec<_>>(), &ys?)?;
            // The channel's budget spread evenly over its n campaigns:
            // n·a·ln(1 + S/(n·b)) is again a curve of the same form, with a' = n·a and b' = n·b.
            let n = mine.len() as f64;
            Some(Curve {
                a: per_campaign.a * n,
                b: per_campaign.b * n,
                r2: per_campaign.r2,
            })
        })
        .collect();
    let conv: f64 = channels.iter().filter_map(|c| c.conversions).sum();
    let rev: f64 = channels.iter().filter_map(|c| c.revenue).sum();
    let value_per_conversion = if conv > 0.0 && rev > 0.0 {
        rev / conv
    } else {
        1.0
    };
    let current: Vec<f64> = channels.iter().map(|c| c.spend).collect();
    let fitted = with_fallback(&curves);
    let total = total.unwrap_or_else(|| current.iter().sum());
    let proposed = if curves.iter().all(|c| c.is_some()) {
        allocate(&fitted, &current, total, bounds)
            .map_err(|e| PipelineError::Segment(e.to_string()))?
    } else {
        current.clone()
    };
    let before = predict_totals(&fitted, &current, value_per_conversion);
    let after = predict_totals(&fitted, &proposed, value_per_conversion);
    let effects = if roles.attributes.is_empty() {
        Vec::new()
    } else {
        let vals: Vec<Vec<Option<String>>> = roles
            .attributes
            .iter()
            .filter_map(|a| ws.df.column(a).ok().map(string_values))
            .collect();
        let spend = col(ws, &roles.spend).unwrap_or_default();
        // campaign_rows keeps the frame rows that have a spend, in order
        let frame_rows: Vec<usize> = (0..spend.len()).filter(|&i| spend[i].is_some()).collect();
        let mut attrs = Vec::new();
        let mut y = Vec::new();
        for (&i, r) in frame_rows.iter().zip(&rows) {
            if let Some(rv) = r.revenue.filter(|_| r.spend > 0.0) {
                attrs.push(
                    vals.iter()
                        .map(|v| v[i].clone().unwrap_or_else(|| "(missing)".into()))
                        .collect(),
                );
                y.push((rv - r.spend) / r.spend);
            }
        }
        attribute_effects(&attrs, &roles.attributes, &y).unwrap_or_default()
    };
    Ok(CampaignReport {
        roles: roles.clone(),
        channels,
        curves,
        value_per_conversion,
        current,
        proposed,
        before,
        after,
        effects,
        bounds,
    })
}

/// Curves with a flat stand-in (no conversions) where a channel could not be fitted.
pub fn with_fallback(curves: &[Option<Curve>]) -> Vec<Curve> {
    curves
        .iter()
        .map(|c| {
            c.unwrap_or(Curve {
                a: 0.0,
                b: 1.0,
                r2: 0.0,
            })
        })
        .collect()
}

impl CampaignReport {
    /// Predicted totals for a spend plan (one spend per channel).
    pub fn totals(&self, plan: &[f64]) -> Totals {
        predict_totals(
            &with_fallback(&self.curves),
            plan,
            self.value_per_conversion,
        )
    }
}
