//! Trees as nested `CASE`: a split `x <= t` takes the `THEN` branch, as in the scorer, so a row reaches
//! the same leaf in the warehouse as in campaign-lens.

use super::saved::{SavedNode, SavedTreeNode};
use super::sql_dialect::num;

/// A flat ensemble tree (`left`, `left + 1` children) over feature expressions `x(j)`.
pub fn flat_tree(nodes: &[SavedNode], x: &dyn Fn(usize) -> String) -> String {
    let mut out = String::new();
    write_flat(nodes, 0, x, &mut out);
    out
}

fn write_flat(nodes: &[SavedNode], v: usize, x: &dyn Fn(usize) -> String, out: &mut String) {
    match nodes[v] {
        SavedNode::Leaf { leaf } => out.push_str(&num(leaf)),
        SavedNode::Split {
            feature,
            threshold,
            left,
        } => {
            out.push_str(&format!(
                "CASE WHEN {} <= {} THEN ",
                x(feature as usize),
                num(threshold)
            ));
            write_flat(nodes, left as usize, x, out);
            out.push_str(" ELSE ");
            write_flat(nodes, left as usize + 1, x, out);
            out.push_str(" END");
        }
    }
}

/// A decision tree whose leaves give their training share of positives.
pub fn cart_tree(nodes: &[SavedTreeNode], x: &dyn Fn(usize) -> String) -> String {
    let mut out = String::new();
    write_cart(nodes, 0, x, &mut out);
    out
}

fn write_cart(nodes: &[SavedTreeNode], v: usize, x: &dyn Fn(usize) -> String, out: &mut String) {
    let n = &nodes[v];
    match n.feature {
        None => out.push_str(&num(n.positives as f64 / n.rows.max(1) as f64)),
        Some(j) => {
            out.push_str(&format!("CASE WHEN {} <= {} THEN ", x(j), num(n.threshold)));
            write_cart(nodes, n.left, x, out);
            out.push_str(" ELSE ");
            write_cart(nodes, n.right, x, out);
            out.push_str(" END");
        }
    }
}

/// One node of either tree kind: a split (feature, threshold, left, right) or a leaf's value.
enum Step {
    Split(usize, f64, usize, usize),
    Leaf(f64),
}

fn flat_step(nodes: &[SavedNode], v: usize) -> Step {
    match nodes[v] {
        SavedNode::Leaf { leaf } => Step::Leaf(leaf),
        SavedNode::Split {
            feature,
            threshold,
            left,
        } => Step::Split(
            feature as usize,
            threshold,
            left as usize,
            left as usize + 1,
        ),
    }
}

fn cart_step(nodes: &[SavedTreeNode], v: usize) -> Step {
    let n = &nodes[v];
    match n.feature {
        None => Step::Leaf(n.positives as f64 / n.rows.max(1) as f64),
        Some(j) => Step::Split(j, n.threshold, n.left, n.right),
    }
}

/// A tree as one flat `CASE` with a `WHEN` per leaf (its path's conditions joined by AND): for SQLite,
/// whose parser has a fixed stack that deep nested `CASE`s overflow.
fn paths(step: &dyn Fn(usize) -> Step, x: &dyn Fn(usize) -> String) -> String {
    let mut leaves: Vec<(Vec<String>, f64)> = Vec::new();
    let mut stack: Vec<(usize, Vec<String>)> = vec![(0, Vec::new())];
    while let Some((v, conds)) = stack.pop() {
        match step(v) {
            Step::Leaf(value) => leaves.push((conds, value)),
            Step::Split(j, t, l, r) => {
                let mut right = conds.clone();
                right.push(format!("{} > {}", x(j), num(t)));
                let mut left = conds;
                left.push(format!("{} <= {}", x(j), num(t)));
                stack.push((r, right));
                stack.push((l, left));
            }
        }
    }
    match leaves.split_last() {
        None => "NULL".into(),
        Some(((_, last), [])) => num(*last),
        Some(((_, last), rest)) => {
            let mut out = String::from("CASE");
            for (conds, value) in rest {
                out.push_str(&format!(
                    " WHEN {} THEN {}",
                    conds.join(" AND "),
                    num(*value)
                ));
            }
            out.push_str(&format!(" ELSE {} END", num(*last)));
            out
        }
    }
}

/// An ensemble tree as one `CASE` per leaf path (see `paths`).
pub fn flat_tree_paths(nodes: &[SavedNode], x: &dyn Fn(usize) -> String) -> String {
    paths(&|v| flat_step(nodes, v), x)
}

/// A decision tree as one `CASE` per leaf path (see `paths`).
pub fn cart_tree_paths(nodes: &[SavedTreeNode], x: &dyn Fn(usize) -> String) -> String {
    paths(&|v| cart_step(nodes, v), x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_sends_equal_values_left() {
        let nodes = [
            SavedNode::Split {
                feature: 1,
                threshold: 2.5,
                left: 1,
            },
            SavedNode::Leaf { leaf: -0.25 },
            SavedNode::Leaf { leaf: 0.5 },
        ];
        let sql = flat_tree(&nodes, &|j| format!("x{j}"));
        assert_eq!(sql, "CASE WHEN x1 <= 2.5 THEN (-0.25) ELSE 0.5 END");
        let sql = flat_tree_paths(&nodes, &|j| format!("x{j}"));
        assert_eq!(sql, "CASE WHEN x1 <= 2.5 THEN (-0.25) ELSE 0.5 END");
        let leaf = [SavedNode::Leaf { leaf: 0.125 }];
        assert_eq!(flat_tree_paths(&leaf, &|j| format!("x{j}")), "0.125");
    }
}
