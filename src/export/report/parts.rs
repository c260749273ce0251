//! What the report and the deck say, computed once: the executive summary's headline figures and the
//! two-sentence recommendation, from the segments, the response model and the campaign prices.

use serde::Serialize;

use crate::analysis::money::roi::{Economics, Outcome};
use crate::analysis::personas::persona::Persona;
use crate::data::Workspace;
use crate::export::charts::findings;
pub use crate::fmt::sentence;
use crate::fmt::{money, pct, thousands};
use crate::pipeline::predict::PredictRun;
use crate::pipeline::SegmentRun;

/// Everything the report's pages draw from.
pub struct Parts<'a> {
    pub ws: &'a Workspace,
    pub seg: &'a SegmentRun,
    pub pred: &'a PredictRun,
    /// The most profitable depth, and contacting everyone.
    pub best: Outcome,
    pub everyone: Outcome,
    pub econ: Economics,
    pub lift: f64,
    /// The selected model's test-set gains by decile.
    pub deciles: Vec<crate::analysis::models::metrics::Decile>,
    /// What the positives are called ("responders", "leavers").
    pub noun: String,
    /// Per persona: its members' most recommended products (from `next_products`), else the spend
    /// categories it over-indexes on.
    pub products: Vec<Vec<String>>,
    /// What the lists are: "Most likely next buys" or "Spends more than average on".
    pub products_label: &'static str,
    pub at_risk: Option<AtRisk>,
}

/// Customers at risk: lapsing high spenders (from lifetime columns) or likely leavers (a churn target).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AtRisk {
    pub customers: usize,
    pub words: String,
}

/// One big figure of the executive summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Headline {
    /// "contact", "profit", "persona", "model", "at_risk".
    pub key: &'static str,
    pub figure: String,
    pub label: String,
}

impl Parts<'_> {
    /// The best persona (highest target rate, else the largest).
    pub fn best_persona(&self) -> Option<&Persona> {
        findings::best_persona(&self.seg.personas)
    }

    /// The executive summary's three to five figures, in order.
    pub fn headlines(&self) -> Vec<Headline> {
        let b = &self.best;
        let e = &self.everyone;
        let n = self.ws.rows();
        let mut out = vec![
            Headline {
                key: "contact",
                figure: thousands(b.contacted as f64),
                label: format!(
                    "customers to contact: the best-scored {} of {}",
                    pct(b.depth),
                    thousands(n as f64)
                ),
            },
            Headline {
                key: "profit",
                figure: money(b.profit, "$"),
                label: format!(
                    "expected profit, ROI {}; contacting everyone: {} (ROI {})",
                    b.roi.map(pct).unwrap_or_else(|| "–".into()),
                    money(e.profit, "$"),
                    e.roi.map(pct).unwrap_or_else(|| "–".into())
                ),
            },
        ];
        if let Some(p) = self.best_persona() {
            let label = match (p.target_rate, findings::overall_rate(&self.seg.personas)) {
                (Some(r), Some(all)) => format!(
                    "{}: {} are {}, against {} overall ({} customers)",
                    if self.noun == "leavers" {
                        "the persona most likely to leave"
                    } else {
                        "the best persona"
                    },
                    pct(r),
                    self.noun,
                    pct(all),
                    thousands(p.size as f64)
                ),
                _ => format!("the largest persona: {} of customers", pct(p.share)),
            };
            out.push(Headline {
                key: "persona",
                figure: p.name.clone(),
                label,
            });
        }
        if let Some(m) = self.pred.report.selected() {
            out.push(Headline {
                key: "model",
                figure: sentence(findings::quality(m.roc_auc)),
                label: format!(
                    "model quality: it ranks the right customer first {:.0} % of the time (AUC {:.3})",
                    m.roc_auc * 100.0,
                    m.roc_auc,
                ),
            });
        }
        if let Some(r) = &self.at_risk {
            out.push(Headline {
                key: "at_risk",
                figure: thousands(r.customers as f64),
                label: r.words.clone(),
            });
        }
        out
    }

    /// The recommendation, in two sentences.
    pub fn recommendation(&self) -> String {
        let b = &self.best;
        let first = if b.contacted == 0 || b.profit <= 0.0 {
            format!(
                "Hold the campaign: at {} a contact and {} a response no list makes a profit, so lower the cost per contact or raise the offer's value first.",
                money(self.econ.cost_per_contact, "$"),
                money(self.econ.revenue_per_response, "$")
            )
        } else {
            format!(
                "Contact the {} best-scored customers (the contact column of scored_customers.csv): at {} a contact and {} a response that should earn {}, where contacting all {} would {} {}.",
                thousands(b.contacted as f64),
                money(self.econ.cost_per_contact, "$"),
                money(self.econ.revenue_per_response, "$"),
                money(b.profit, "$"),
                thousands(self.everyone.contacted as f64),
                if self.everyone.profit < 0.0 { "lose" } else { "earn" },
                money(self.everyone.profit.abs(), "$")
            )
        };
        let second = match self.best_persona() {
            Some(p) => match p.target_rate {
                Some(r) => format!(
                    "Lead with {}, where {} are {}: {}.",
                    p.name,
                    pct(r),
                    self.noun,
                    sentence(&p.strategy.offer)
                ),
                None => format!("Lead with {}: {}.", p.name, sentence(&p.strategy.offer)),
            },
            None => "Review the segments before choosing the message.".into(),
        };
        format!("{first} {second}")
    }
}

/// Customers at risk, when the table can say: lapsing high spenders from lifetime columns, else (for a
/// churn target) the customers scored at 50 % or more.
pub fn at_risk(ws: &Workspace, pred: &PredictRun, noun: &str) -> Option<AtRisk> {
    if let Some(v) = crate::pipeline::lifetime::value_view::value_view(&ws.df) {
        return Some(AtRisk {
            customers: v.at_risk.len(),
            words: format!(
                "customers at risk: big spenders (the top {} by spend) with P(alive) under {}; {} spent so far",
                pct(crate::pipeline::lifetime::value_view::HIGH_VALUE_SHARE),
                pct(crate::pipeline::lifetime::value_view::AT_RISK_ALIVE),
                money(v.at_risk_spend, "$")
            ),
        });
    }
    (noun == "leavers").then(|| AtRisk {
        customers: pred.scores.iter().filter(|s| **s >= 0.5).count(),
        words: "customers at risk: scored 50 % or more likely to leave".into(),
    })
}

/// Each persona's recommended products: its members' most frequent `next_products` when the table has
/// them, else the spend categories it over-indexes on; with what the lists are.
pub fn persona_products(ws: &Workspace, seg: &SegmentRun) -> (Vec<Vec<String>>, &'static str) {
    let next = crate::pipeline::recommend::columns::persona_next_products(
        &ws.df,
        &seg.frame_labels(ws.rows()),
        seg.personas.len(),
        3,
    );
    if next.iter().any(|v| !v.is_empty()) {
        let lists = seg
            .personas
            .iter()
            .map(|p| {
                next.get(p.id)
                    .map(|v| v.iter().map(|(n, _)| n.clone()).collect())
                    .unwrap_or_default()
            })
            .collect();
        return (lists, "Most likely next buys");
    }
    let lists = seg
        .personas
        .iter()
        .map(|p| {
            p.strategy
                .over_indexed
                .iter()
                .take(3)
                .map(|(c, _)| c.clone())
                .collect()
        })
        .collect();
    (lists, "Spends more than average on")
}
