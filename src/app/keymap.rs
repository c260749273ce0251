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
    /// Shown in the bottom hint bar.
    pub hint: bool,
}

const fn bind(
    key: KeyCode,
    mods: KeyModifiers,
    scope: Scope,
    action: Action,
    label: &'static str,
    help: &'static str,
    hint: bool,
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

/// The default keymap.
pub fn default_keymap() -> Vec<Binding> {
    use KeyCode::{BackTab, Char, Down, End, Esc, Home, Left, PageDown, PageUp, Right, Up};
    let data = Scope::Tab(Tab::Data);
    vec![
        bind(Char('q'), N, G, Action::Quit, "q", "quit", true),
        bind(
            Char('c'),
            KeyModifiers::CONTROL,
            G,
            Action::Quit,
            "Ctrl-C",
            "quit",
            false,
        ),
        bind(
            Char('?'),
            N,
            G,
            Action::ToggleHelp,
            "?",
            "help: every key",
            true,
        ),
        bind(KeyCode::Tab, N, G, Action::NextTab, "Tab", "next tab", true),
        bind(
            BackTab,
            KeyModifiers::SHIFT,
            G,
            Action::PrevTab,
            "Shift-Tab",
            "previous tab",
            false,
        ),
        bind(
            Char('1'),
            N,
            G,
            Action::GoTab(Tab::Data),
            "1",
            "Data tab",
            false,
        ),
        bind(
            Char('2'),
            N,
            G,
            Action::GoTab(Tab::Segments),
            "2",
            "Segments tab",
            false,
        ),
        bind(
            Char('3'),
            N,
            G,
            Action::GoTab(Tab::Personas),
            "3",
            "Personas tab",
            false,
        ),
        bind(
            Char('4'),
            N,
            G,
            Action::GoTab(Tab::Predict),
            "4",
            "Predict tab",
            false,
        ),
        bind(
            Char('5'),
            N,
            G,
            Action::GoTab(Tab::Roi),
            "5",
            "ROI tab",
            false,
        ),
        bind(
            Esc,
            N,
            G,
            Action::Back,
            "Esc",
            "back out: close help or prompt, cancel a job",
            false,
        ),
        bind(
            Char('o'),
            N,
            G,
            Action::OpenPrompt,
            "o",
            "open another file",
            true,
        ),
        bind(
            Char('m'),
            N,
            G,
            Action::ToggleMouse,
            "m",
            "mouse on/off (wheel scrolls)",
            false,
        ),
        bind(Up, N, G, Action::Up, "↑/k", "move up", false),
        bind(Char('k'), N, G, Action::Up, "k", "move up", false),
        bind(Down, N, G, Action::Down, "↓/j", "move down", false),
        bind(Char('j'), N, G, Action::Down, "j", "move down", false),
        bind(PageUp, N, G, Action::PageUp, "PgUp", "page up", false),
        bind(PageDown, N, G, Action::PageDown, "PgDn", "page down", false),
        bind(Home, N, G, Action::Home, "Home", "first row", false),
        bind(End, N, G, Action::End, "End", "last row", false),
        bind(Left, N, G, Action::Left, "←", "left / previous", false),
        bind(Right, N, G, Action::Right, "→", "right / next", false),
        bind(
            Char('t'),
            N,
            data,
            Action::CycleTarget,
            "t",
            "breakdown: next binary target",
            true,
        ),
        bind(
            Char('f'),
            N,
            data,
            Action::SwitchFocus,
            "f",
            "focus: columns ↔ preview rows",
            true,
        ),
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
