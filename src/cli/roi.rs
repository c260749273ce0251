//! `campaign-lens roi …`: what targeting is worth (customer tables) or where the budget should go
//! (campaign tables).

use std::path::Path;

use serde_json::{json, Value};

use super::{open, print_json, CliResult, ReadArgs, UserError};
use crate::analysis::money::roi::{Economics, Outcome, Targeting};
use crate::fmt::{money, pct, thousands};
use crate::pipeline::predict::{resolve_target, score_customers};
use crate::pipeline::roi::{campaign_report, default_economics, detect_roles};

pub struct CustomerArgs<'a> {
    pub target: Option<&'a str>,
    pub cost: Option<f64>,
    pub revenue: Option<f64>,
    pub fixed: f64,
    pub budget: Option<f64>,
    pub depth: f64,
    pub model: &'a str,
    pub json: bool,
}

fn outcome_json(o: &Outcome) -> Value {
    json!({
        "depth": o.depth, "contacted": o.contacted, "expected_responses": o.expected_responses,
        "cost": o.cost, "revenue": o.revenue, "profit": o.profit, "roi": o.roi,
    })
}

pub fn customers(file: &Path, read: &ReadArgs, a: &CustomerArgs) -> CliResult {
    let ws = open(file, read)?;
    if !(0.0..=1.0).contains(&a.depth) {
        return Err(UserError(format!(
            "--depth must be between 0 and 1, got {}",
            a.depth
        )));
    }
    let (mut e, sources) = default_economics(&ws);
    e = Economics {
        cost_per_contact: a.cost.unwrap_or(e.cost_per_contact),
        revenue_per_response: a.revenue.unwrap_or(e.revenue_per_response),
        fixed_cost: a.fixed,
        budget: a.budget,
    };
    e.check()
        .map_err(|x| UserError(format!("{}: {x}", ws.file_name())))?;
    let target = resolve_target(&ws, a.target, None).map_err(|e| UserError(e.to_string()))?;
    let models = super::predict::model_choice(a.model)?;
    let (run, observed) =
        score_customers(&ws, &target, models).map_err(|e| UserError(e.to_string()))?;
    let t = Targeting::new(&run.scores, Some(&observed)).map_err(|x| UserError(x.to_string()))?;
    let (best, at, all) = (t.optimal(&e), t.at_depth(&e, a.depth), t.everyone(&e));
    if a.json {
        return print_json(&json!({
            "base_rate": t.base_rate(),
            "break_even_rate": e.break_even_rate(),
            "cost_per_contact": e.cost_per_contact,
            "revenue_per_response": e.revenue_per_response,
            "optimal": outcome_json(&best),
            "at_depth": outcome_json(&at),
            "everyone": outcome_json(&all),
            "curve": t.curve(&e, 21).iter().map(|(d, p)| json!({"depth": d, "profit": p})).collect::<Vec<_>>(),
        }));
    }
    for s in sources
        .iter()
        .filter(|_| a.cost.is_none() || a.revenue.is_none())
    {
        println!("{s}");
    }
    println!(
        "{} customers · base rate {} · break-even response rate {}",
        thousands(t.len() as f64),
        pct(t.base_rate()),
        pct(e.break_even_rate())
    );
    println!(
        "\n{:<22}{:>12}{:>12}{:>12}{:>12}{:>12}{:>9}",
        "", "contacted", "responses", "cost", "revenue", "profit", "ROI"
    );
    let rnd = t.random_same_size(&e, at.contacted);
    for (name, o) in [
        ("best depth", &best),
        (&format!("depth {:.0} %", a.depth * 100.0) as &str, &at),
        ("random, same size", &rnd),
        ("contact everyone", &all),
    ] {
        println!(
            "{:<22}{:>12}{:>12.1}{:>12}{:>12}{:>12}{:>9}",
            name,
            thousands(o.contacted as f64),
            o.expected_responses,
            money(o.cost, "$"),
            money(o.revenue, "$"),
            money(o.profit, "$"),
            o.roi.map(pct).unwrap_or_else(|| "–".into())
        );
    }
    println!(
        "\nContact the best {} ({}) for an expected profit of {}.",
        thousands(best.contacted as f64),
        pct(best.depth),
        money(best.profit, "$")
    );
    Ok(())
}

pub struct CampaignArgs<'a> {
    pub group: Option<&'a str>,
    pub spend: Option<&'a str>,
    pub conversions: Option<&'a str>,
    pub revenue: Option<&'a str>,
    pub total: Option<f64>,
    pub json: bool,
}

pub fn campaigns(file: &Path, read: &ReadArgs, a: &CampaignArgs) -> CliResult {
    let ws = open(file, read)?;
    let mut roles = detect_roles(&ws);
    let check = |c: &str| -> Result<String, UserError> {
        ws.profile(c)
            .map(|p| p.name.clone())
            .ok_or_else(|| UserError(format!("{}: no column named {c:?}", ws.file_name())))
    };
    if let Some(g) = a.group {
        roles.group = Some(check(g)?);
        roles.attributes.retain(|x| x != g);
    }
    if let Some(s) = a.spend {
        roles.spend = Some(check(s)?);
    }
    if let Some(c) = a.conversions {
        roles.conversions = Some(check(c)?);
    }
    if let Some(r) = a.revenue {
        roles.revenue = Some(check(r)?);
    }
    let r = campaign_report(&ws, &roles, a.total, 0.5).map_err(|e| UserError(e.to_string()))?;
    if a.json {
        return print_json(&json!({
            "channels": r.channels.iter().zip(&r.curves).map(|(c, k)| json!({
                "name": c.name, "spend": c.spend, "clicks": c.clicks, "conversions": c.conversions,
                "cpc": c.cpc, "cpa": c.cpa, "roas": c.roas, "roi": c.roi,
                "curve": k.map(|k| json!({"a": k.a, "b": k.b})),
            })).collect::<Vec<_>>(),
            "allocation": r.channels.iter().zip(r.current.iter().zip(&r.proposed)).map(|(c, (cur, pro))| json!({
                "name": c.name, "current": cur, "proposed": pro,
            })).collect::<Vec<_>>(),
        }));
    }
    println!(
        "{:<16}{:>10}{:>12}{:>10}{:>8}{:>10}{:>8}{:>8}",
        "channel", "spend", "conversions", "CPC", "CTR", "CPA", "ROAS", "ROI"
    );
    for c in &r.channels {
        let o = |x: Option<f64>, f: &dyn Fn(f64) -> String| x.map(f).unwrap_or_else(|| "–".into());
        println!(
            "{:<16}{:>10}{:>12}{:>10}{:>8}{:>10}{:>8}{:>8}",
            c.name,
            money(c.spend, "$"),
            o(c.conversions, &thousands),
            o(c.cpc, &|v| money(v, "$")),
            o(c.ctr, &pct),
            o(c.cpa, &|v| money(v, "$")),
            o(c.roas, &|v| format!("{v:.2}")),
            o(c.roi, &pct)
        );
    }
    println!("\nBudget plan (each channel within ±50 % of today):");
    for ((c, cur), pro) in r.channels.iter().zip(&r.current).zip(&r.proposed) {
        println!(
            "  {:<16}{:>12} → {:>12}",
            c.name,
            money(*cur, "$"),
            money(*pro, "$")
        );
    }
    println!(
        "predicted conversions {:.0} → {:.0}, revenue {} → {}, ROI {} → {}",
        r.before.conversions,
        r.after.conversions,
        money(r.before.revenue, "$"),
        money(r.after.revenue, "$"),
        pct(r.before.roi),
        pct(r.after.roi)
    );
    Ok(())
}
