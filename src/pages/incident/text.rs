//! Small text helpers for the incident page: localised lookups with placeholders, byte sizes,
//! short ids, and the core's findings and kernel-choice reasons in the page language (they are
//! catalogue messages, rendered by [`crate::i18n::messages`]).

use super::analysis::{FindingView, KernelChoiceView};
use crate::i18n::messages::{self, Piece};
use crate::i18n::{format, lookup, Lang};

/// The text of `key` in `lang`, placeholders filled.
pub fn tr(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    format(lookup(lang, key), args)
}

/// Why the kernel's choice agrees or differs with the task table, in `lang`: its reasons as
/// clauses of one sentence.
pub fn choice_why(lang: Lang, choice: &KernelChoiceView) -> String {
    messages::to_text(&messages::pieces_joined(lang, &choice.why_parts))
}

/// A finding's sentence in `lang`, as pieces (sizes separate).
pub fn finding_pieces(lang: Lang, f: &FindingView) -> Vec<Piece> {
    messages::pieces(lang, &f.message)
}

/// A finding's advice in `lang`, as pieces; empty when the core gave none.
pub fn advice_pieces(lang: Lang, f: &FindingView) -> Vec<Piece> {
    f.advice
        .as_ref()
        .map(|a| messages::pieces(lang, a))
        .unwrap_or_default()
}

/// A finding's sentence in `lang` as text.
pub fn finding_message(lang: Lang, f: &FindingView) -> String {
    messages::render(lang, &f.message)
}

/// A finding's advice in `lang` as text; empty when the core gave none.
pub fn finding_advice(lang: Lang, f: &FindingView) -> String {
    messages::to_text(&advice_pieces(lang, f))
}

/// A byte count for people (`1 GiB`, `512.50 MiB`), or the localised "unknown".
pub fn bytes(lang: Lang, value: Option<i64>) -> String {
    match value {
        Some(b) => oomlens_core::base::quantity::format_bytes(b),
        None => lookup(lang, "inc.unknown").to_string(),
    }
}

/// An optional value, or the localised "unknown".
pub fn or_unknown(lang: Lang, value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() => v.to_string(),
        _ => lookup(lang, "inc.unknown").to_string(),
    }
}

/// The first 12 characters of a container id (as `docker ps`/`crictl ps` print them).
pub fn short_id(id: &str) -> String {
    id.chars().take(12).collect()
}

/// The catalogue key naming an input kind (`kernel_oom` → `inc.kind.kernel_oom`).
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "kernel_oom" => "inc.kind.kernel_oom",
        "systemd_oomd" => "inc.kind.systemd_oomd",
        "systemd_unit" => "inc.kind.systemd_unit",
        "memory_stat" => "inc.kind.memory_stat",
        "describe_pod" => "inc.kind.describe_pod",
        "describe_node" => "inc.kind.describe_node",
        "eviction_message" => "inc.kind.eviction_message",
        "pod_manifest" => "inc.kind.pod_manifest",
        "kubelet_config" => "inc.kind.kubelet_config",
        "events_table" => "inc.kind.events_table",
        _ => "inc.kind.other",
    }
}

/// A severity's place in reading order: critical, warning, then info.
pub fn severity_rank(severity: &str) -> u8 {
    match severity {
        "critical" => 0,
        "warning" => 1,
        _ => 2,
    }
}

/// The catalogue key naming a severity.
pub fn severity_key(severity: &str) -> &'static str {
    match severity {
        "critical" => "inc.sev.critical",
        "warning" => "inc.sev.warning",
        _ => "inc.sev.info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::incident::{analysis::ExplanationView, fixtures};

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// True when `s` still holds a `{placeholder}` (a brace quoted from a paste is not one).
    fn unfilled(s: &str) -> bool {
        s.split('{').skip(1).any(|after| {
            after.split_once('}').is_some_and(|(name, _)| {
                !name.is_empty() && name.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
            })
        })
    }

    /// English is the core's own sentence, except that sizes use the page's binary units
    /// (the core writes the same for `Arg::Bytes`).
    #[test]
    fn english_findings_are_the_core_sentences() {
        let mut checked = 0;
        for (name, text) in fixtures::texts(&fixtures::ALL) {
            let core = oomlens_core::explain(&text);
            let ex = ExplanationView::from(&core);
            for (f, cf) in ex.findings.iter().zip(&core.findings) {
                assert_eq!(finding_message(Lang::En, f), cf.english(), "{name}");
                assert_eq!(finding_advice(Lang::En, f), cf.advice_english(), "{name}");
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked} findings");
    }

    /// On every kernel fixture, each kernel-choice reason renders in Chinese with every
    /// placeholder filled, and the English is exactly the core's sentence.
    #[test]
    fn kernel_choice_reasons_on_the_fixtures_are_translated() {
        let mut checked = 0;
        for (_, text) in fixtures::texts(&[fixtures::KERNEL, fixtures::SAMPLES]) {
            let core = oomlens_core::explain(&text);
            let ex = ExplanationView::from(&core);
            for (c, cc) in ex
                .oom_events
                .iter()
                .zip(&core.oom_events)
                .filter_map(|(e, ce)| Some((e.kernel_choice.as_ref()?, ce.kernel_choice.as_ref()?)))
            {
                assert!(!c.why_parts.is_empty(), "{}", cc.why);
                assert_eq!(choice_why(Lang::En, c), cc.why);
                let zh = choice_why(Lang::Zh, c);
                assert!(has_cjk(&zh) && !unfilled(&zh), "{zh}");
                checked += 1;
            }
        }
        assert!(checked >= 10, "{checked} kernel choices");
    }

    /// Every finding the core emits on the real fixtures (core tests/fixtures, examples/incidents)
    /// renders in Chinese with Chinese text and every placeholder filled; so does its advice.
    #[test]
    fn every_finding_on_the_fixtures_is_translated() {
        let mut files = 0;
        let mut checked = 0;
        for (name, text) in fixtures::texts(&fixtures::ALL) {
            if name.ends_with(".md") || name.contains("LICENSE") {
                continue;
            }
            files += 1;
            let ex = ExplanationView::from(&oomlens_core::explain(&text));
            for f in &ex.findings {
                let zh = finding_message(Lang::Zh, f);
                assert!(
                    has_cjk(&zh) && !unfilled(&zh),
                    "{name}: {} → {zh}",
                    f.message.id
                );
                if f.advice.is_some() {
                    let a = finding_advice(Lang::Zh, f);
                    assert!(
                        has_cjk(&a) && !unfilled(&a),
                        "{name}: advice of {} → {a}",
                        f.message.id
                    );
                }
                checked += 1;
            }
        }
        assert!(
            files > 40 && checked > 100,
            "{files} files, {checked} findings"
        );
    }

    #[test]
    fn ids_are_shortened_and_sizes_formatted() {
        assert_eq!(short_id("b27201334a41cd0749d053b18378d7ea"), "b27201334a41");
        assert_eq!(bytes(Lang::En, Some(1_073_741_824)), "1 GiB");
        assert_eq!(bytes(Lang::En, None), lookup(Lang::En, "inc.unknown"));
    }
}
