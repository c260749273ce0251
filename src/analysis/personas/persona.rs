//! Personas: clusters described as people. Names come from the traits that set a cluster apart, with the
//! vocabulary in `assets/personas.toml`; each persona gets its distinguishing traits in words, its target
//! rate, and a strategy (channel, deal sensitivity, categories it over-indexes on, an offer and a message).

use std::collections::HashMap;

use serde::Serialize;

use crate::analysis::personas::strategy::strategy;
pub use crate::analysis::personas::strategy::{next_best_category, Strategy};
pub use crate::analysis::personas::vocabulary::{
    ChannelWords, PersonaError, ProfileInput, Rule, TraitWords, Vocabulary,
};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Persona {
    pub id: usize,
    pub name: String,
    pub size: usize,
    pub share: f64,
    /// Clustering features: (name, persona mean, overall mean, z of the persona mean).
    pub profile: Vec<(String, f64, f64, f64)>,
    pub traits: Vec<String>,
    pub target_rate: Option<f64>,
    pub strategy: Strategy,
}

fn fmt_value(x: f64) -> String {
    crate::fmt::num(x)
}

/// A candidate trait: (strength, adjective, noun, sentence, key for rules).
struct Candidate {
    strength: f64,
    /// Position of the word in the vocabulary (names list adjectives in this order).
    order: usize,
    adjective: Option<String>,
    noun: Option<String>,
    words: String,
    /// The column (or channel) the trait is about, for fallback names.
    label: String,
    /// About a clustering feature: names are built from these only.
    is_feature: bool,
    key: (String, &'static str),
}

fn candidates(input: &ProfileInput, c: usize, vocab: &Vocabulary) -> Vec<Candidate> {
    let mut out = Vec::new();
    let col_index: HashMap<String, usize> = input
        .columns
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_ascii_lowercase(), i))
        .collect();
    let means = &input.cluster_means[c];
    // with no clustering features given, every column may name the persona
    let is_feature =
        |name: &str| input.features.is_empty() || input.features.iter().any(|f| f == name);
    // numeric traits by z
    for (j, name) in input.columns.iter().enumerate() {
        let (m, om, sd) = (means[j], input.overall_mean[j], input.overall_sd[j]);
        if !m.is_finite() || sd.is_nan() || sd <= 0.0 {
            continue;
        }
        let z = (m - om) / sd;
        let pos = vocab
            .traits
            .iter()
            .position(|t| t.column == name.to_ascii_lowercase());
        let words = pos.map(|p| &vocab.traits[p]);
        let label = words
            .map(|w| w.label.clone())
            .unwrap_or_else(|| name.clone());
        let high = z > 0.0;
        let (adjective, noun) = match words {
            Some(w) if high => (w.high.clone(), w.high_noun.clone()),
            Some(w) => (w.low.clone(), w.low_noun.clone()),
            None => (None, None),
        };
        out.push(Candidate {
            strength: z.abs(),
            order: pos.unwrap_or(usize::MAX),
            adjective,
            noun,
            words: format!(
                "{label} {} vs {} average ({z:+.1} sd)",
                fmt_value(m),
                fmt_value(om)
            ),
            label: name.clone(),
            is_feature: is_feature(name),
            key: (name.to_ascii_lowercase(), if high { "high" } else { "low" }),
        });
    }
    // channel shares by index
    let chans: Vec<(&String, &ChannelWords, usize)> = vocab
        .channels
        .iter()
        .filter_map(|(col, w)| col_index.get(col).map(|&j| (col, w, j)))
        .collect();
    if chans.len() >= 2 {
        let tot: f64 = chans.iter().map(|c3| means[c3.2]).sum();
        let otot: f64 = chans.iter().map(|c3| input.overall_mean[c3.2]).sum();
        for (_, w, j) in &chans {
            let (share, oshare) = (means[*j] / tot, input.overall_mean[*j] / otot);
            if !(share.is_finite() && oshare > 0.0) {
                continue;
            }
            let index = share / oshare;
            if index >= vocab.min_index {
                out.push(Candidate {
                    strength: (index - 1.0) * 2.0,
                    order: 1000,
                    adjective: Some(w.word.clone()),
                    noun: None,
                    words: format!(
                        "{:.0} % of purchases {} vs {:.0} % overall",
                        share * 100.0,
                        if w.name == "web" {
                            "online".to_string()
                        } else {
                            format!("by {}", w.name)
                        },
                        oshare * 100.0
                    ),
                    label: format!("{} share", w.name),
                    is_feature: chans.iter().any(|c| is_feature(&input.columns[c.2])),
                    key: (w.name.clone(), "share"),
                });
            }
        }
    }
    out.sort_by(|a, b| b.strength.total_cmp(&a.strength));
    out
}

fn name_from(cands: &[Candidate], vocab: &Vocabulary, extra: usize) -> String {
    let strong: Vec<&Candidate> = cands
        .iter()
        .filter(|c| c.is_feature && c.strength >= vocab.min_z)
        .collect();
    let keys: Vec<(&str, &str)> = strong.iter().map(|c| (c.key.0.as_str(), c.key.1)).collect();
    let mut adjectives: Vec<(usize, String)> = Vec::new();
    let mut used: Vec<(&str, &str)> = Vec::new();
    for rule in &vocab.rules {
        let hit = rule
            .when
            .iter()
            .all(|(col, dir)| keys.contains(&(col.as_str(), dir.as_str())));
        if hit {
            if !adjectives.iter().any(|a| a.1 == rule.word) {
                adjectives.push((0, rule.word.clone()));
            }
            used.extend(rule.when.iter().map(|(c, d)| (c.as_str(), d.as_str())));
        }
    }
    let noun = strong.iter().find_map(|c| c.noun.clone());
    for c in &strong {
        if used.contains(&(c.key.0.as_str(), c.key.1)) {
            continue;
        }
        if let Some(a) = &c.adjective {
            if !adjectives.iter().any(|x| &x.1 == a) {
                adjectives.push((c.order.saturating_add(1), a.clone()));
            }
        }
    }
    // the strongest words win; they are then listed in vocabulary order
    adjectives.truncate(2 + extra);
    adjectives.sort_by_key(|a| a.0);
    let adjectives: Vec<String> = adjectives.into_iter().map(|a| a.1).collect();
    if adjectives.is_empty() && noun.is_none() {
        // unknown data: the two strongest clustering features and their direction
        let parts: Vec<String> = cands
            .iter()
            .filter(|c| c.is_feature && c.strength >= 0.2 && c.key.1 != "share")
            .take(2)
            .map(|c| {
                format!(
                    "{} {}",
                    if c.key.1 == "high" { "High" } else { "Low" },
                    c.label
                )
            })
            .collect();
        return if parts.is_empty() {
            "Typical Customers".into()
        } else {
            parts.join(" · ")
        };
    }
    let noun = noun.unwrap_or_else(|| vocab.default_noun.clone());
    let mut words = adjectives;
    words.push(noun);
    words.join(" ")
}

pub fn build_personas(
    input: &ProfileInput,
    vocab: &Vocabulary,
) -> Result<Vec<Persona>, PersonaError> {
    let k = input.sizes.len();
    if k == 0 {
        return Err(PersonaError::Empty);
    }
    let c = input.columns.len();
    if input.cluster_means.len() != k
        || input.cluster_means.iter().any(|r| r.len() != c)
        || input.overall_mean.len() != c
        || input.overall_sd.len() != c
    {
        return Err(PersonaError::Mismatch(format!(
            "{k} clusters, {c} columns, but the means/sds have other shapes"
        )));
    }
    if let Some((_, rates, _)) = &input.target {
        if rates.len() != k {
            return Err(PersonaError::Mismatch(format!(
                "{} target rates for {k} clusters",
                rates.len()
            )));
        }
    }
    let total: usize = input.sizes.iter().sum();
    let mut personas = Vec::with_capacity(k);
    let mut names: Vec<String> = Vec::new();
    for ci in 0..k {
        let cands = candidates(input, ci, vocab);
        let mut name = name_from(&cands, vocab, 0);
        let mut extra = 1;
        while names.contains(&name) && extra <= 3 {
            name = name_from(&cands, vocab, extra);
            extra += 1;
        }
        let base = name.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base} {}", roman(n));
            n += 1;
        }
        names.push(name.clone());
        let col = |lower: &str| {
            input
                .columns
                .iter()
                .position(|x| x.to_ascii_lowercase() == lower)
        };
        let z_of = |lower: &str| {
            col(lower).and_then(|j| {
                let sd = input.overall_sd[j];
                (sd > 0.0).then(|| (input.cluster_means[ci][j] - input.overall_mean[j]) / sd)
            })
        };
        let profile = input
            .features
            .iter()
            .filter_map(|f| input.columns.iter().position(|x| x == f).map(|j| (f, j)))
            .map(|(f, j)| {
                let (m, om, sd) = (
                    input.cluster_means[ci][j],
                    input.overall_mean[j],
                    input.overall_sd[j],
                );
                (f.clone(), m, om, if sd > 0.0 { (m - om) / sd } else { 0.0 })
            })
            .collect();
        personas.push(Persona {
            id: ci,
            name,
            size: input.sizes[ci],
            share: input.sizes[ci] as f64 / total.max(1) as f64,
            profile,
            traits: cands
                .iter()
                .take(5)
                .filter(|c| c.strength >= 0.2)
                .map(|c| c.words.clone())
                .collect(),
            target_rate: input.target.as_ref().map(|t| t.1[ci]),
            strategy: strategy(input, ci, vocab, &z_of),
        });
    }
    Ok(personas)
}

fn roman(n: usize) -> &'static str {
    [
        "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    ]
    .get(n)
    .copied()
    .unwrap_or("+")
}

/// Rename a persona; names must stay distinct and non-empty.
pub fn rename(personas: &mut [Persona], id: usize, new_name: &str) -> Result<(), PersonaError> {
    let name = new_name.trim();
    if name.is_empty() {
        return Err(PersonaError::EmptyName);
    }
    if personas.iter().any(|p| p.id != id && p.name == name) {
        return Err(PersonaError::DuplicateName(name.to_string()));
    }
    let p = personas
        .iter_mut()
        .find(|p| p.id == id)
        .ok_or(PersonaError::NoPersona(id))?;
    p.name = name.to_string();
    Ok(())
}
