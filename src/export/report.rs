//! The stakeholder report: the whole pipeline headless (segments → personas → response model → ROI), written
//! as `index.html` (images embedded), `report.md`, `charts/*.png|svg`, `scored_customers.csv`,
//! `personas.csv` and `model.json` (the models, for `score` and `sql`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::{base64, csv_cell, html, write_atomic};
use crate::analysis::metrics::{deciles, roc_curve};
use crate::analysis::predict::ModelChoice;
use crate::analysis::roi::{Economics, Outcome, Targeting};
use crate::data::profile::{string_values, Flag};
use crate::data::{LoadOptions, Workspace};
use crate::export::charts::{draw_elbow, draw_gains, draw_personas, draw_profit, draw_roc};
use crate::fmt::{money, pct, thousands};
use crate::pipeline::predict::{apply_scores, resolve_target, score_customers, PredictRun};
use crate::pipeline::roi::default_economics;
use crate::pipeline::{apply_segments, default_features, run_segments, SegmentConfig, SegmentRun};
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

/// What the report found (also used by tests to compare with the CLI's JSON).
#[derive(Debug, Clone)]
pub struct ReportSummary {
    pub out: PathBuf,
    pub chosen_k: usize,
    pub persona_names: Vec<String>,
    pub roc_auc: f64,
    pub top_decile_lift: f64,
    pub best: Outcome,
    pub econ: Economics,
    pub files: Vec<PathBuf>,
}

struct Parts<'a> {
    ws: &'a Workspace,
    seg: &'a SegmentRun,
    pred: &'a PredictRun,
    best: Outcome,
    econ: Economics,
    lift: f64,
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
    files.extend(save_both!(&charts, "elbow", |root| draw_elbow(
        root, &seg.sweep, chosen
    ))?);
    files.extend(save_both!(&charts, "personas", |root| draw_personas(
        root,
        &seg.personas
    ))?);
    files.extend(save_both!(&charts, "roc", |root| draw_roc(
        root,
        &roc,
        model.roc_auc
    ))?);
    files.extend(save_both!(&charts, "gains", |root| draw_gains(root, &dec))?);
    let curve = t.curve(&econ, 101);
    files.extend(save_both!(&charts, "profit", |root| draw_profit(
        root, &curve, best.depth
    ))?);
    progress("writing the report");
    let parts = Parts {
        ws: &ws,
        seg: &seg,
        pred: &pred,
        best,
        econ,
        lift: dec.first().map(|d| d.lift).unwrap_or(f64::NAN),
    };
    let sections = sections(&parts);
    let md = markdown(&parts, &sections);
    write_atomic(&out.join("report.md"), md.as_bytes())?;
    write_atomic(
        &out.join("index.html"),
        page(&parts, &sections, &charts)?.as_bytes(),
    )?;
    write_atomic(
        &out.join("scored_customers.csv"),
        scored_csv(&parts).as_bytes(),
    )?;
    write_atomic(&out.join("personas.csv"), personas_csv(&parts).as_bytes())?;
    // the response model and the segments, for `campaign-lens score` and `campaign-lens sql`
    crate::deploy::freeze::save(&ws, Some(&pred), Some(&seg), &out.join("model.json"))
        .map_err(|e| e.to_string())?;
    files.extend(
        [
            "report.md",
            "index.html",
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
        roc_auc: model.roc_auc,
        top_decile_lift: parts.lift,
        best,
        econ,
        files,
    })
}

/// (heading, paragraphs, chart name) — the same content for HTML and Markdown.
fn sections(p: &Parts) -> Vec<(String, Vec<String>, Option<&'static str>)> {
    let ws = p.ws;
    let seg = p.seg;
    let Some(m) = p.pred.report.selected() else {
        return Vec::new();
    };
    let target = format!(
        "{} = {}",
        p.pred.target.label(),
        p.pred.target.positive_label()
    );
    let mut out = vec![(
        "The data".to_string(),
        vec![format!(
            "{} holds {} customers and {} columns. {} of them have {} ({}). Segments use {} customers with complete values on {} features ({}).",
            ws.file_name(),
            thousands(ws.rows() as f64),
            ws.df.width(),
            thousands((p.pred.report.base_rate * p.pred.report.rows as f64).round()),
            target,
            pct(p.pred.report.base_rate),
            thousands(seg.rows_used as f64),
            seg.config.features.len(),
            seg.config.features.join(", ")
        )],
        None,
    )];
    let sil = seg
        .sweep
        .points
        .iter()
        .find(|x| x.k == seg.chosen_k)
        .and_then(|x| x.silhouette)
        .unwrap_or(f64::NAN);
    out.push((
        format!("{} customer segments", seg.chosen_k),
        vec![format!(
            "We tried k-means with 2 to 10 groups. {}. With k = {} the groups are separated with a silhouette of {sil:.2} (1 is perfectly separated, 0 is overlapping).",
            sentence(&seg.k_reason), seg.chosen_k
        )],
        Some("elbow"),
    ));
    let next_products = crate::pipeline::recommend_columns::persona_next_products(
        &ws.df,
        &seg.frame_labels(ws.rows()),
        seg.personas.len(),
        3,
    );
    for persona in &seg.personas {
        let mut paras = vec![format!(
            "{} customers ({} of the base){}.",
            thousands(persona.size as f64),
            pct(persona.share),
            persona
                .target_rate
                .map(|r| format!("; {} of them have {target}", pct(r)))
                .unwrap_or_default()
        )];
        paras.extend(persona.traits.iter().take(4).cloned());
        if let Some(c) = &persona.strategy.channel {
            paras.push(format!("Reach them by {c}."));
        }
        paras.push(format!("Offer: {}.", persona.strategy.offer));
        paras.push(format!("Message: {}.", persona.strategy.message));
        if let Some(products) = next_products.get(persona.id).filter(|v| !v.is_empty()) {
            let names: Vec<&str> = products.iter().map(|(n, _)| n.as_str()).collect();
            paras.push(format!(
                "Most likely next buys (from each member's recommendations): {}.",
                names.join(", ")
            ));
        }
        out.push((format!("Persona: {}", persona.name), paras, None));
    }
    out.push(("How the segments compare".into(), vec![], Some("personas")));
    out.push((
        "How well we can predict who responds".into(),
        vec![
            format!(
                "We compared {} models on the same split and folds. {}",
                p.pred.report.models.len(),
                p.pred.report.selection.as_ref().map_or(String::new(), |s| s.words.clone())
            ),
            format!(
                "Its scores are probabilities ({}; Brier score {:.3}, where always guessing the average rate scores {:.3}). On customers it has not seen: {}",
                match m.calibrator.name() {
                    "none" => "they needed no correction".to_string(),
                    c => format!("corrected by {c} calibration on the training folds"),
                },
                m.brier,
                p.pred.report.base_rate * (1.0 - p.pred.report.base_rate),
                crate::cli::predict::auc_words(m.roc_auc, &target)
            ),
            format!(
                "The best-scored 10 % of customers hold {:.1}× as many responders as a random 10 % (top-decile lift).",
                p.lift
            ),
        ],
        Some("roc"),
    ));
    out.push(("Who to contact first".into(), vec![], Some("gains")));
    let b = &p.best;
    out.push((
        "What the campaign is worth".into(),
        vec![format!(
            "At {} per contact and {} per response, contact the best {} customers ({} of the base): about {:.0} responses, {} revenue for {} cost, an expected profit of {} (ROI {}). A contact pays for itself when at least {} of those contacted respond.",
            money(p.econ.cost_per_contact, "$"),
            money(p.econ.revenue_per_response, "$"),
            thousands(b.contacted as f64),
            pct(b.depth),
            b.expected_responses,
            money(b.revenue, "$"),
            money(b.cost, "$"),
            money(b.profit, "$"),
            b.roi.map(pct).unwrap_or_else(|| "–".into()),
            pct(p.econ.break_even_rate())
        )],
        Some("profit"),
    ));
    out
}

fn markdown(p: &Parts, sections: &[(String, Vec<String>, Option<&str>)]) -> String {
    let mut s = format!("# Campaign report: {}\n\n", p.ws.file_name());
    for (h, paras, chart) in sections {
        let _ = writeln!(s, "## {h}\n");
        for para in paras {
            let _ = writeln!(s, "{para}\n");
        }
        if let Some(c) = chart {
            let _ = writeln!(s, "![{h}](charts/{c}.png)\n");
        }
    }
    s
}

fn page(
    p: &Parts,
    sections: &[(String, Vec<String>, Option<&str>)],
    charts: &Path,
) -> Result<String, String> {
    let mut s = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Campaign report: {0}</title><style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5;color:#222}}h2{{border-bottom:1px solid #ccc}}img{{max-width:100%}}</style></head><body><h1>Campaign report: {0}</h1>\n",
        html(&p.ws.file_name())
    );
    for (h, paras, chart) in sections {
        let _ = writeln!(s, "<h2>{}</h2>", html(h));
        for para in paras {
            let _ = writeln!(s, "<p>{}</p>", html(para));
        }
        if let Some(c) = chart {
            let bytes =
                std::fs::read(charts.join(format!("{c}.png"))).map_err(|e| e.to_string())?;
            let _ = writeln!(
                s,
                "<img alt=\"{}\" src=\"data:image/png;base64,{}\">",
                html(h),
                base64(&bytes)
            );
        }
    }
    s.push_str("</body></html>\n");
    Ok(s)
}

fn scored_csv(p: &Parts) -> String {
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
        .column(crate::pipeline::recommend_columns::NEXT_PRODUCTS)
        .ok()
        .map(string_values);
    let mut s = format!(
        "{},cluster,persona,score,next_best_category{}\n",
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
            "{},{},{},{:.6},{}",
            csv_cell(&key),
            get(&cluster),
            get(&persona),
            p.pred.scores[i],
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

/// A phrase as a sentence: its first letter in upper case.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
