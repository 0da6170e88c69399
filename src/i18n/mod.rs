//! The one i18n layer: every user-visible string comes from a catalogue here, in English and
//! Simplified Chinese. Catalogues are per page (`common`, `calculator`, `incident`). English is
//! compiled in; the Chinese of the shell, the calculator and the model's sentences is the text file
//! [`zh_text`] (`zh.txt`), which the calculator's module fetches only when Chinese is chosen and the
//! incident module compiles in; the incident page's own Chinese is compiled into its module. Each
//! module registers what it carries ([`registry`]); tests check that every key has both languages.

pub mod calculator;
pub mod common;
pub mod glossary;
pub mod incident;
pub mod learn;
pub mod messages;
pub mod registry;
pub mod zh_text;

use leptos::prelude::*;

/// A UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// BCP-47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Picks the language from a browser language tag (`zh`, `zh-CN`, `zh-Hans-CN` → Chinese).
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

pub use registry::Table;

/// The English page-text tables the calculator's wasm module carries and registers at start
/// (`app::mount`). A test checks every key its code names against these.
pub const CALCULATOR_TABLES: [Table; 2] = [common::EN, calculator::EN];

/// The English page-text tables the incident module carries and registers at start
/// (`pages::incident::mount`); its Chinese is [`incident::ZH`] and `zh.txt`, compiled in.
pub const INCIDENT_TABLES: [Table; 2] = [common::EN, incident::EN];

/// The English page-text tables training mode (in the incident module too) registers when mounted
/// (`pages::learn::mount`); its Chinese is [`learn::ZH`] and `zh.txt`, compiled in.
pub const LEARN_TABLES: [Table; 2] = [common::EN, learn::EN];

/// Registers the second module's text when one of its pages is mounted: the page's tables
/// (English, and the Chinese compiled in), the core's message catalogue, and `zh.txt` compiled in
/// (the shell's and the model's Chinese). A table already registered is kept once.
pub fn register_module(en: &[Table], zh: Table) {
    for table in en {
        registry::register(Lang::En, table);
    }
    registry::register(Lang::Zh, zh);
    for table in oomlens_core::base::message::CATALOGUE {
        registry::register_messages_en(table);
    }
    // The compiled-in file always parses (a unit test reads the same text).
    let _ = zh_text::install(zh_text::BUILTIN);
}

/// The text of `key` in `lang`, from the tables this module registered ([`registry`]); the English
/// text when the Chinese is not loaded (yet), `"??"` when no table has it (a test forbids missing
/// keys).
pub fn lookup(lang: Lang, key: &str) -> &'static str {
    registry::lookup(lang, key)
}

/// Replaces `{name}` placeholders in `template` with `args`.
pub fn format(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The language signal shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The current language; writing it changes every text live.
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// The text of `key` in the current language (reactive when read inside a closure).
    pub fn t(&self, key: &'static str) -> String {
        lookup(self.lang.get(), key).to_string()
    }

    /// The text of `key` with `{name}` placeholders filled.
    pub fn tf(&self, key: &'static str, args: &[(&str, String)]) -> String {
        format(lookup(self.lang.get(), key), args)
    }
}

/// Provides the i18n context (call once at the app root).
pub fn provide_i18n(initial: Lang) -> I18n {
    let i18n = I18n {
        lang: RwSignal::new(initial),
    };
    provide_context(i18n);
    i18n
}

/// The i18n context (falls back to English if none was provided).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n {
        lang: RwSignal::new(Lang::En),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys<'a>(t: &[(&'a str, &'a str)]) -> Vec<&'a str> {
        t.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn every_catalogue_has_the_same_keys_in_both_languages_and_no_duplicates() {
        let zh_ui = zh_text::parse(zh_text::BUILTIN).expect("zh.txt parses").ui;
        let common_calculator: Vec<(&str, &str)> =
            common::EN.iter().chain(calculator::EN).copied().collect();
        for (name, en, zh) in [
            ("common + calculator", &common_calculator[..], &zh_ui[..]),
            ("incident", incident::EN, incident::ZH),
            ("learn", learn::EN, learn::ZH),
        ] {
            let ke = keys(en);
            let kz = keys(zh);
            let se: BTreeSet<_> = ke.iter().collect();
            let sz: BTreeSet<_> = kz.iter().collect();
            assert_eq!(se.len(), ke.len(), "{name}: duplicate English key");
            assert_eq!(sz.len(), kz.len(), "{name}: duplicate Chinese key");
            let only_en: Vec<_> = se.difference(&sz).collect();
            let only_zh: Vec<_> = sz.difference(&se).collect();
            assert!(
                only_en.is_empty() && only_zh.is_empty(),
                "{name}: only EN {only_en:?}, only ZH {only_zh:?}"
            );
            for (k, v) in zh {
                assert!(!v.trim().is_empty(), "{name}: empty Chinese text for {k}");
            }
        }
    }

    /// Each wasm module registers only its own tables ([`CALCULATOR_TABLES`],
    /// [`INCIDENT_TABLES`], [`LEARN_TABLES`]), so every key a module's code names must be in those: a key of another module's table would show as "??" there. Checked on the source: any
    /// string literal that is a key of some table, in the files each module compiles.
    #[test]
    fn every_key_a_module_uses_is_in_the_tables_it_registers() {
        use std::path::Path;
        fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    sources(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push((
                        p.display().to_string(),
                        std::fs::read_to_string(&p).unwrap(),
                    ));
                }
            }
        }
        let all: BTreeSet<&str> = [common::EN, calculator::EN, incident::EN, learn::EN]
            .iter()
            .flat_map(|t| keys(t))
            .collect();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let modules: [(&str, Vec<&str>, Vec<&str>); 3] = [
            // The widgets each module's pages import (`widgets::…` in their code).
            (
                "calculator",
                vec![
                    "app.rs",
                    "share.rs",
                    "pages/calculator",
                    "widgets/charts",
                    "widgets/compare.rs",
                    "widgets/bytes.rs",
                    "widgets/dom.rs",
                    "widgets/export.rs",
                    "widgets/message.rs",
                    "widgets/patch.rs",
                    "widgets/quantity_input.rs",
                    "widgets/theme.rs",
                ],
                CALCULATOR_TABLES.iter().flat_map(|t| keys(t)).collect(),
            ),
            (
                "learn",
                vec![
                    "pages/learn",
                    "widgets/charts/node_memory.rs",
                    "widgets/charts/timeline.rs",
                    "widgets/compare.rs",
                    "widgets/bytes.rs",
                    "widgets/dom.rs",
                    "widgets/message.rs",
                ],
                LEARN_TABLES.iter().flat_map(|t| keys(t)).collect(),
            ),
            (
                "incident",
                vec![
                    "pages/incident",
                    "worker.rs",
                    "widgets/bytes.rs",
                    "widgets/dom.rs",
                    "widgets/message.rs",
                    "widgets/term.rs",
                ],
                INCIDENT_TABLES.iter().flat_map(|t| keys(t)).collect(),
            ),
        ];
        for (name, dirs, registered) in modules {
            let mut files = Vec::new();
            for d in dirs {
                let p = src.join(d);
                if p.is_dir() {
                    sources(&p, &mut files);
                } else {
                    files.push((
                        p.display().to_string(),
                        std::fs::read_to_string(&p).unwrap(),
                    ));
                }
            }
            for (file, text) in files {
                // The test modules name keys of every table on purpose.
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                for lit in code.split('"').skip(1).step_by(2) {
                    if all.contains(lit) {
                        assert!(
                            registered.contains(&lit),
                            "{file}: key {lit:?} is not in the {name} module's tables"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            format("{a} of {b}", &[("a", "1".into()), ("b", "2".into())]),
            "1 of 2"
        );
    }

    #[test]
    fn browser_tags_pick_the_language() {
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Lang::Zh);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
    }
}
