//! The text tables this wasm module carries. Each module registers its own at start (the
//! calculator's: common + calculator; the incident module's: common + incident), so neither links
//! the other's text, and the Chinese of the shell, calculator and model arrives from
//! [`super::zh_text`] when it is loaded. Lookups fall back to English, so text is never missing
//! while the Chinese is still on its way (tests check that every key has both languages).

use super::Lang;
use std::cell::RefCell;

/// A text table: (key, text) pairs.
pub type Table = &'static [(&'static str, &'static str)];

#[derive(Default)]
struct Tables {
    en: Vec<Table>,
    zh: Vec<Table>,
    /// English templates of the core's messages: its model table, and in the incident module its
    /// reader's table too (`oomlens_core::base::message::{MODEL, DIAG}`), each sorted by id.
    messages_en: Vec<Table>,
    /// Chinese templates of the core's messages, sorted by id.
    messages_zh: Option<Table>,
}

thread_local! {
    static TABLES: RefCell<Tables> = RefCell::new(initial());
}

#[cfg(not(test))]
fn initial() -> Tables {
    Tables::default()
}

/// Unit tests see every table, as if both modules had registered theirs.
#[cfg(test)]
fn initial() -> Tables {
    use super::{calculator, common, incident, learn, zh_text};
    let bundle = zh_text::parse(zh_text::BUILTIN).expect("zh.txt parses");
    Tables {
        en: vec![common::EN, calculator::EN, incident::EN, learn::EN],
        zh: vec![bundle.ui.leak(), incident::ZH, learn::ZH],
        messages_en: oomlens_core::base::message::CATALOGUE.to_vec(),
        messages_zh: Some(bundle.messages.leak()),
    }
}

/// Adds a table of `lang` (searched after those registered before it).
/// A table registered twice (two pages of one module share some) is kept once.
pub fn register(lang: Lang, table: Table) {
    TABLES.with(|t| {
        let mut t = t.borrow_mut();
        let list = match lang {
            Lang::En => &mut t.en,
            Lang::Zh => &mut t.zh,
        };
        if !list.iter().any(|x| std::ptr::eq(*x, table)) {
            list.push(table);
        }
    });
}

/// Adds a table of the core's English message templates (sorted by id), once.
pub fn register_messages_en(table: Table) {
    TABLES.with(|t| {
        let list = &mut t.borrow_mut().messages_en;
        if !list.iter().any(|x| std::ptr::eq(*x, table)) {
            list.push(table);
        }
    });
}

/// Sets the Chinese templates of the core's messages (`table` sorted by id).
pub fn register_messages_zh(table: Table) {
    TABLES.with(|t| t.borrow_mut().messages_zh = Some(table));
}

/// Whether the Chinese of the model's messages (and with it the shell's) is loaded.
pub fn has_zh() -> bool {
    TABLES.with(|t| t.borrow().messages_zh.is_some())
}

fn find(tables: &[Table], key: &str) -> Option<&'static str> {
    tables
        .iter()
        .find_map(|t| t.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
}

/// The text of `key` in `lang`, else in English; `None` when no table has the key.
pub fn get(lang: Lang, key: &str) -> Option<&'static str> {
    TABLES.with(|t| {
        let t = t.borrow();
        let zh = match lang {
            Lang::Zh => find(&t.zh, key),
            Lang::En => None,
        };
        zh.or_else(|| find(&t.en, key))
    })
}

/// The text of `key` in `lang`, else in English, else `"??"`.
pub fn lookup(lang: Lang, key: &str) -> &'static str {
    get(lang, key).unwrap_or("??")
}

/// The English template of message `id`, from the tables this module registered.
pub fn message_en(id: &str) -> Option<&'static str> {
    use oomlens_core::base::message::find_in;
    TABLES.with(|t| {
        t.borrow()
            .messages_en
            .iter()
            .find_map(|table| find_in(table, id))
            .map(|(_, v)| v)
    })
}

/// The Chinese template of message `id`, when loaded.
pub fn message_zh(id: &str) -> Option<&'static str> {
    use oomlens_core::base::message::find_in;
    TABLES.with(|t| find_in(t.borrow().messages_zh?, id).map(|(_, v)| v))
}
