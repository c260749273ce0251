//! The stakeholder report: the whole pipeline headless (segments → personas → response model → ROI), written
//! as `index.html` (images embedded), `report.md`, `charts/*.png|svg`, `scored_customers.csv`,
//! `personas.csv` and `model.json` (the models, for `score` and `sql`).

pub mod deck;
pub mod page;
pub mod parts;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use crate::analysis::models::metrics::{deciles, roc_curve};
use crate::analysis::models::predict::ModelChoice;
use crate::analysis::money::roi::{Economics, Outcome, Targeting};
use crate::data::profile::{string_values, Flag};
use crate::data::{LoadOptions, Workspace};
use crate::export::charts::{draw_elbow, draw_gains, draw_personas, draw_profit, draw_roc};
use crate::export::report::page::{markdown, page, sections};
use crate::export::report::parts::{at_risk, persona_products, AtRisk, Headline, Parts};
use crate::export::{csv_cell, write_atomic};
use crate::pipeline::predict::{apply_scores, resolve_target, score_customers};
use crate::pipeline::roi::default_economics;
use crate::pipeline::{apply_segments, default_features, run_segments, SegmentConfig};
use crate::save_both;

/// Report settings.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    pub target: Option<String>,
    pub k: Option<usize>,
    pub cost_per_contact: Option<f64>,
    pub revenue_per_response: Option<f64>,
    pub force: bool,
    /// How to read the file (separator, sheet, encoding).
    pub load: LoadOptions,
    /// The models compared; customers are scored with the best by CV AUC.
    pub models: ModelChoice,
}

/// What the report found (printed by `report --json`; tests compare it with the other commands' JSON).
#[derive(Debug, Clone, Serialize)]
pub struct ReportSummary {
    pub out: PathBuf,
    pub chosen_k: usize,
    pub persona_names: Vec<String>,
    pub best_persona: Option<String>,
    pub roc_auc: f64,
    pub model_quality: &'static str,
    pub top_decile_lift: f64,
    pub best: Outcome,
    pub everyone: Outcome,
    pub econ: Economics,
    pub at_risk: Option<AtRisk>,
    /// The executive summary's figures, as the report and the deck print them.
    pub headlines: Vec<Headline>,
    pub recommendation: String,
    pub slides: usize,
    pub files: Vec<PathBuf>,
}

/// Run everything and write the report folder.
pub fn build(
    file: &Path,
    out: &Path,
    o: &ReportOptions,
    progress: &dyn Fn(&str),
) -> Result<ReportSummary, String> {
    if out.exists()
        && !o.force
        && std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "{}: already exists; pass --force to reuse it",
            out.display()
        ));
    }
    progress("loading");
    let mut ws = Workspace::open(file, &o.load).map_err(|e| e.to_string())?;
    progress("finding segments");
    let cfg = SegmentConfig {
        features: default_features(&ws),
        k: o.k,
        target: o.target.clone(),
        ..Default::default()
    };
    let seg =
        run_segments(&ws, &cfg, &|_, _| {}, &AtomicBool::new(false)).map_err(|e| e.to_string())?;
    apply_segments(&mut ws, &seg).map_err(|e| e.to_string())?;
    progress("fitting the response model");
    let target = resolve_target(&ws, o.target.as_deref(), None).map_err(|e| e.to_string())?;
    let (pred, observed) = score_customers(&ws, &target, o.models).map_err(|e| e.to_string())?;
    apply_scores(&mut ws, &pred).map_err(|e| e.to_string())?;
    progress("pricing the campaign");
    let (mut econ, _) = default_economics(&ws);
    econ.cost_per_contact = o.cost_per_contact.unwrap_or(econ.cost_per_contact);
    econ.revenue_per_response = o.revenue_per_response.unwrap_or(econ.revenue_per_response);
    econ.check().map_err(|e| e.to_string())?;
    let t = Targeting::new(&pred.scores, Some(&observed)).map_err(|e| e.to_string())?;
    let best = t.optimal(&econ);
    let model = pred.report.selected().ok_or("no model")?;
    let dec = deciles(&model.test_y, &model.test_scores).map_err(|e| e.to_string())?;
    let roc = roc_curve(&model.test_y, &model.test_scores).map_err(|e| e.to_string())?;
    progress("drawing charts");
    let charts = out.join("charts");
    let mut files = Vec::new();
    let chosen = seg.chosen_k;
    let noun =
        crate::export::charts::findings::positives_noun(&target.label(), &target.positive_label());
    files.extend(save_both!(&charts, "elbow", |root| draw_elbow(
        root, &seg.sweep, chosen
    ))?);
    files.extend(save_both!(&charts, "personas", |root| draw_personas(
        root,
        &seg.personas,
        &noun
    ))?);
    files.extend(save_both!(&charts, "roc", |root| draw_roc(
        root,
        &roc,
        model.roc_auc
    ))?);
    files.extend(save_both!(&charts, "gains", |root| draw_gains(
        root, &dec, &noun
    ))?);
    let curve = t.curve(&econ, 101);
    files.extend(save_both!(&charts, "profit", |root| draw_profit(
        root, &curve, &best, "$"
    ))?);
    // the deck's copies, smaller so their text is larger on a slide
    let slides = charts.join("slides");
    let size = crate::export::charts::SLIDE_SIZE;
    files.extend(save_both!(&slides, "personas", size; |root| draw_personas(
        root,
        &seg.personas,
        &noun
    ))?);
    files.extend(save_both!(&slides, "gains", size; |root| draw_gains(
        root, &dec, &noun
    ))?);
    files.extend(save_both!(&slides, "profit", size; |root| draw_profit(
        root, &curve, &best, "$"
    ))?);
    progress("writing the report");
    let (products, products_label) = persona_products(&ws, &seg);
    let parts = Parts {
        ws: &ws,
        seg: &seg,
        pred: &pred,
        best,
        everyone: t.everyone(&econ),
        econ,
        lift: dec.first().map(|d| d.lift).unwrap_or(f64::NAN),
        deciles: dec,
        at_risk: at_risk(&ws, &pred, &noun),
        noun,
        products,
        products_label,
    };
    let contact: Vec<bool> = {
        let mut c = vec![false; ws.rows()];
        for &i in t.order.iter().take(best.contacted) {
            c[i] = true;
        }
        c
    };
    let sections = sections(&parts);
    let md = markdown(&parts, &sections);
    write_atomic(&out.join("report.md"), md.as_bytes())?;
    write_atomic(
        &out.join("index.html"),
        page(&parts, &sections, &charts)?.as_bytes(),
    )?;
    let deck = crate::export::report::deck::deck(&parts, &slides)?;
    write_atomic(&out.join("deck.html"), deck.html.as_bytes())?;
    write_atomic(
        &out.join("scored_customers.csv"),
        scored_csv(&parts, &contact).as_bytes(),
    )?;
    write_atomic(&out.join("personas.csv"), personas_csv(&parts).as_bytes())?;
    // the response model and the segments, for `campaign-lens score` and `campaign-lens sql`
    crate::deploy::freeze::save(&ws, Some(&pred), Some(&seg), &out.join("model.json"))
        .map_err(|e| e.to_string())?;
    files.extend(
        [
            "report.md",
            "index.html",
            "deck.html",
            "scored_customers.csv",
            "personas.csv",
            "model.json",
        ]
        .iter()
        .map(|f| out.join(f)),
    );
    Ok(ReportSummary {
        out: out.to_path_buf(),
        chosen_k: chosen,
        persona_names: seg.personas.iter().map(|p| p.name.clone()).collect(),
        best_persona: parts.best_persona().map(|p| p.name.clone()),
        roc_auc: model.roc_auc,
        model_quality: crate::export::charts::findings::quality(model.roc_auc),
        top_decile_lift: parts.lift,
        best,
        everyone: parts.everyone,
        econ,
        at_risk: parts.at_risk.clone(),
        headlines: parts.headlines(),
        recommendation: parts.recommendation(),
        slides: deck.slides,
        files,
    })
}

/// Every customer's segment, persona, score and whether the recommended campaign contacts them.
fn scored_csv(p: &Parts, contact: &[bool]) -> String {
    let ws = p.ws;
    let id = ws
        .profiles
        .iter()
        .find(|c| c.has(Flag::Id))
        .map(|c| c.name.clone());
    let col = |n: &str| {
        ws.df
            .column(n)
            .ok()
            .map(string_values)
            .unwrap_or_else(|| vec![None; ws.rows()])
    };
    let ids = id.as_deref().map(col);
    let (cluster, persona) = (
        col(crate::pipeline::CLUSTER_COL),
        col(crate::pipeline::PERSONA_COL),
    );
    let next = col(crate::pipeline::NEXT_BEST_COL);
    let products = ws
        .df
        .column(crate::pipeline::recommend::columns::NEXT_PRODUCTS)
        .ok()
        .map(string_values);
    let mut s = format!(
        "{},cluster,persona,score,contact,next_best_category{}\n",
        csv_cell(id.as_deref().unwrap_or("row")),
        if products.is_some() {
            ",next_products"
        } else {
            ""
        }
    );
    for i in 0..ws.rows() {
        let key = ids
            .as_ref()
            .and_then(|v| v[i].clone())
            .unwrap_or_else(|| (i + 1).to_string());
        let get = |v: &Vec<Option<String>>| csv_cell(v[i].as_deref().unwrap_or(""));
        let _ = write!(
            s,
            "{},{},{},{:.6},{},{}",
            csv_cell(&key),
            get(&cluster),
            get(&persona),
            p.pred.scores[i],
            if contact[i] { "yes" } else { "no" },
            get(&next)
        );
        if let Some(v) = &products {
            let _ = write!(s, ",{}", get(v));
        }
        s.push('\n');
    }
    s
}

fn personas_csv(p: &Parts) -> String {
    let feats = &p.seg.config.features;
    let mut s = String::from("id,name,size,share,target_rate");
    for f in feats {
        let _ = write!(s, ",{}", csv_cell(&format!("mean_{f}")));
    }
    s.push('\n');
    for persona in &p.seg.personas {
        let _ = write!(
            s,
            "{},{},{},{:.6},{}",
            persona.id,
            csv_cell(&persona.name),
            persona.size,
            persona.share,
            persona
                .target_rate
                .map(|r| format!("{r:.6}"))
                .unwrap_or_default()
        );
        for (_, m, _, _) in &persona.profile {
            let _ = write!(s, ",{m:.4}");
        }
        s.push('\n');
    }
    s
}
