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

/// The text of `key` in `lang`, from the tables this module registered ([`registry`]); the English
/// text when the Chinese is not loaded (yet), the key itself when no table has it (a test forbids
/// missing keys).
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
