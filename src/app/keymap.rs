//! The one keymap table: it drives dispatch, the key-hint bar and the help screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Tab};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Tab(Tab),
}

/// One key binding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub key: KeyCode,
    pub mods: KeyModifiers,
    pub scope: Scope,
    pub action: Action,
    /// How the key is written in help ("Tab", "1-5", "←/→").
    pub label: &'static str,
    pub help: &'static str,
    /// Short text for the bottom hint bar (None: only in help).
    pub hint: Option<&'static str>,
}

const fn bind(
    key: KeyCode,
    mods: KeyModifiers,
    scope: Scope,
    action: Action,
    label: &'static str,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        key,
        mods,
        scope,
        action,
        label,
        help,
        hint,
    }
}

const N: KeyModifiers = KeyModifiers::NONE;
const G: Scope = Scope::Global;

/// The default keymap: (key, modifiers, scope, action, label, help, hint).
#[rustfmt::skip]
pub fn default_keymap() -> Vec<Binding> {
    use KeyCode::{BackTab, Char, Down, End, Esc, Home, Left, PageDown, PageUp, Right, Up};
    let data = Scope::Tab(Tab::Data);
    let seg = Scope::Tab(Tab::Segments);
    let per = Scope::Tab(Tab::Personas);
    let pre = Scope::Tab(Tab::Predict);
    let roi = Scope::Tab(Tab::Roi);
    let val = Scope::Tab(Tab::Value);
    let c = KeyModifiers::CONTROL;
    vec![
        bind(Char('q'), N, G, Action::Quit, "q", "quit", Some("quit")),
        bind(Char('c'), c, G, Action::Quit, "Ctrl-C", "quit", None),
        bind(Char('?'), N, G, Action::ToggleHelp, "?", "help: every key", Some("help")),
        bind(KeyCode::Tab, N, G, Action::NextTab, "Tab", "next tab", Some("next tab")),
        bind(BackTab, KeyModifiers::SHIFT, G, Action::PrevTab, "Shift-Tab", "previous tab", None),
        bind(Char('1'), N, G, Action::GoTab(Tab::Data), "1", "Data tab", None),
        bind(Char('2'), N, G, Action::GoTab(Tab::Segments), "2", "Segments tab", None),
        bind(Char('3'), N, G, Action::GoTab(Tab::Personas), "3", "Personas tab", None),
        bind(Char('4'), N, G, Action::GoTab(Tab::Predict), "4", "Predict tab", None),
        bind(Char('5'), N, G, Action::GoTab(Tab::Roi), "5", "ROI tab", None),
        bind(Char('6'), N, G, Action::GoTab(Tab::Value), "6", "Value tab: lifetime value of an order log's customers", None),
        bind(Char('7'), N, G, Action::GoTab(Tab::NextBuy), "7", "Next buy tab: product recommendations", None),
        bind(Esc, N, G, Action::Back, "Esc", "back out: close help or prompt, cancel a job", None),
        bind(Char('o'), N, G, Action::OpenPrompt, "o", "open another file", Some("open")),
        bind(Char('e'), N, G, Action::Export, "e", "export this tab's charts (PNG and SVG)", Some("export")),
        bind(Char('w'), N, G, Action::SaveModel, "w", "save segments and response model as a model file", None),
        bind(Char('C'), N, G, Action::BuildCustomers, "C", "order log: build the customer table", None),
        bind(Char('m'), N, G, Action::ToggleMouse, "m", "mouse on/off (wheel scrolls)", None),
        bind(Up, N, G, Action::Up, "↑", "move up", None),
        bind(Char('k'), N, G, Action::Up, "k", "move up", None),
        bind(Down, N, G, Action::Down, "↓", "move down", None),
        bind(Char('j'), N, G, Action::Down, "j", "move down", None),
        bind(PageUp, N, G, Action::PageUp, "PgUp", "page up", None),
        bind(PageDown, N, G, Action::PageDown, "PgDn", "page down", None),
        bind(Home, N, G, Action::Home, "Home", "first row", None),
        bind(End, N, G, Action::End, "End", "last row", None),
        bind(Left, N, G, Action::Left, "←", "left / previous", None),
        bind(Right, N, G, Action::Right, "→", "right / next", None),
        bind(Char(' '), N, seg, Action::ToggleItem, "Space", "feature on/off", Some("feature")),
        bind(KeyCode::Enter, N, seg, Action::Run, "Enter", "run the sweep again", Some("run")),
        bind(Char('s'), N, seg, Action::ToggleScale, "s", "z-score scaling on/off", Some("scale")),
        bind(Char('i'), N, seg, Action::ToggleNulls, "i", "missing values: drop rows or fill medians", None),
        bind(Char('+'), N, seg, Action::KMore, "+", "raise k-max", None),
        bind(Char('-'), N, seg, Action::KLess, "-", "lower k-max", None),
        bind(Left, N, seg, Action::Left, "←/→", "choose k (refits on all rows)", Some("k")),
        bind(Char('r'), N, per, Action::Rename, "r", "rename the persona", Some("rename")),
        bind(Char('p'), N, per, Action::Present, "p", "presenter mode (←/→ pages, Esc leaves)", Some("present")),
        bind(Char('n'), N, per, Action::NextCustomer, "n", "next customer: next-best category", Some("customer")),
        bind(Left, N, pre, Action::Left, "←/→", "threshold -/+ 0.01 (PgUp/PgDn ±0.1)", Some("threshold")),
        bind(Char('b'), N, pre, Action::BestF1, "b", "threshold with the best F1", Some("best F1")),
        bind(Char('$'), N, pre, Action::BestProfit, "$", "most profitable threshold (ROI costs)", Some("profit")),
        bind(Char('v'), N, pre, Action::NextView, "v", "chart: ROC, gains & lift, calibration", Some("chart")),
        bind(Char('M'), N, pre, Action::NextModel, "M", "show the next model (table row, charts, drivers)", Some("model")),
        bind(Char('u'), N, pre, Action::UseModel, "u", "score with the shown model (again: the best)", Some("use")),
        bind(Char('t'), N, pre, Action::CycleTarget, "t", "next binary target (refits)", Some("target")),
        bind(KeyCode::Enter, N, pre, Action::Run, "Enter", "fit the models again", None),
        bind(Char('P'), N, pre, Action::SwitchPositive, "P", "switch which value counts as positive", None),
        bind(Char('r'), N, pre, Action::RuleTarget, "r", "target from a rule, e.g. Recency > 60", Some("rule")),
        bind(Left, N, roi, Action::Left, "←/→", "adjust the slider (or move budget)", Some("adjust")),
        bind(Left, KeyModifiers::SHIFT, roi, Action::BigLeft, "Shift-←/→", "adjust in big steps", None),
        bind(Right, KeyModifiers::SHIFT, roi, Action::BigRight, "Shift-→", "adjust in big steps", None),
        bind(KeyCode::Enter, N, roi, Action::Run, "Enter", "type a value for the slider", Some("type")),
        bind(Char('a'), N, roi, Action::AutoAllocate, "a", "campaigns: allocate for equal marginal ROI", Some("allocate")),
        bind(Char('r'), N, roi, Action::ResetPlan, "r", "campaigns: back to today's budget", None),
        bind(Char('t'), N, data, Action::CycleTarget, "t", "breakdown: next binary target", Some("target")),
        bind(Char('f'), N, data, Action::SwitchFocus, "f", "focus: columns ↔ preview rows", Some("focus")),
        bind(Char('l'), N, val, Action::SwitchFocus, "l", "scroll the other list (at risk ↔ most valuable)", Some("other list")),
    ]
}

/// Same key, ignoring how terminals report Shift on printable characters.
fn matches(b: &Binding, ev: &KeyEvent) -> bool {
    if b.key != ev.code {
        return false;
    }
    match ev.code {
        KeyCode::Char(_) => {
            let strip = |m: KeyModifiers| m - KeyModifiers::SHIFT;
            strip(b.mods) == strip(ev.modifiers)
        }
        KeyCode::BackTab => true,
        _ => b.mods == ev.modifiers,
    }
}

/// The action for a key on a tab: tab-specific bindings win over global ones.
pub fn lookup(keymap: &[Binding], tab: Tab, ev: &KeyEvent) -> Option<Action> {
    keymap
        .iter()
        .filter(|b| b.scope == Scope::Tab(tab) && matches(b, ev))
        .chain(
            keymap
                .iter()
                .filter(|b| b.scope == Scope::Global && matches(b, ev)),
        )
        .map(|b| b.action.clone())
        .next()
}

/// Apply "old" = "new" key moves to the keymap (labels updated for the help and hint bar).
pub fn apply_keys(keymap: &mut [Binding], keys: &std::collections::BTreeMap<String, String>) {
    for (from, to) in keys {
        let (Some((fc, fm)), Some((tc, tm))) =
            (crate::config::parse_key(from), crate::config::parse_key(to))
        else {
            continue;
        };
        let label: &'static str = Box::leak(to.clone().into_boxed_str());
        for b in keymap.iter_mut().filter(|b| b.key == fc && b.mods == fm) {
            b.key = tc;
            b.mods = tm;
            b.label = label;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_prefers_tab_bindings_and_finds_globals() {
        let km = default_keymap();
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert!(matches!(
            lookup(&km, Tab::Data, &key('t')),
            Some(Action::CycleTarget)
        ));
        assert!(lookup(&km, Tab::Roi, &key('t')).is_none());
        assert!(matches!(
            lookup(&km, Tab::Roi, &key('q')),
            Some(Action::Quit)
        ));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(matches!(
            lookup(&km, Tab::Data, &ctrl_c),
            Some(Action::Quit)
        ));
        let shifted = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert!(matches!(
            lookup(&km, Tab::Data, &shifted),
            Some(Action::ToggleHelp)
        ));
    }
}
