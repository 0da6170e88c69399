//! Small text helpers for the incident page: localised lookups with placeholders, byte sizes,
//! short ids, and the localisation of the core's findings by `id` + `args`.

use super::analysis::{FindingView, KernelChoiceView};
use crate::i18n::{format, incident, lookup, Lang};

/// The text of `key` in `lang`, placeholders filled.
pub fn tr(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    format(lookup(lang, key), args)
}

/// Why the kernel's choice agrees or differs with the task table, in `lang`: English is the core's
/// sentence; Chinese fills [`incident::CHOICE_REASONS_ZH`] per reason (the English sentence when a
/// reason has no template, which a test rules out for every core id).
pub fn choice_why(lang: Lang, choice: &KernelChoiceView) -> String {
    if lang != Lang::Zh || choice.why_parts.is_empty() {
        return choice.why.clone();
    }
    let parts: Option<Vec<String>> = choice
        .why_parts
        .iter()
        .map(|p| {
            let template = incident::CHOICE_REASONS_ZH
                .iter()
                .find(|(id, _)| *id == p.id)?
                .1;
            let args: Vec<(&str, String)> = p
                .args
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            fill(template, &args)
        })
        .collect();
    parts.map_or_else(|| choice.why.clone(), |p| p.join("；"))
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

/// A finding's message in `lang`: the catalogue's template for its `id` filled with its `args`,
/// else the core's English message.
pub fn finding_message(lang: Lang, f: &FindingView) -> String {
    localised(lang, incident::FINDINGS, &f.id, &f.args).unwrap_or_else(|| f.message.clone())
}

/// A finding's advice in `lang` (same rule as [`finding_message`]); empty when the core gave none.
pub fn finding_advice(lang: Lang, f: &FindingView) -> String {
    if f.advice.trim().is_empty() {
        return String::new();
    }
    localised(lang, incident::ADVICE, &f.id, &f.args).unwrap_or_else(|| f.advice.clone())
}

fn localised(
    lang: Lang,
    table: &[(&str, &str, &str)],
    id: &str,
    args: &[(String, String)],
) -> Option<String> {
    if lang == Lang::En {
        return None;
    }
    let (_, _, zh) = table.iter().find(|(k, _, _)| *k == id)?;
    // Byte counts travel raw (`536870912`): show them as sizes, as the English message does.
    let args: Vec<(&str, String)> = args
        .iter()
        .map(|(k, v)| {
            let shown = match (k.ends_with("_bytes"), v.parse::<i64>()) {
                (true, Ok(b)) => oomlens_core::base::quantity::format_bytes(b),
                _ => v.clone(),
            };
            (k.as_str(), shown)
        })
        .collect();
    // A template naming an argument the core did not send would show `{name}`: use English then.
    fill(zh, &args)
}

/// Fills a finding template: `{name}` is an argument (required), `{?name}` requires the argument
/// and prints nothing (a condition), and `[a||b]` is an optional group printing the first
/// alternative whose arguments are all present (or nothing). `None` when a required argument
/// outside every group is missing.
pub fn fill(template: &str, args: &[(&str, String)]) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        out.push_str(&fill_plain(rest.get(..open)?, args)?);
        let after = rest.get(open + 1..)?;
        let close = after.find(']')?;
        let group = after.get(..close)?;
        if let Some(text) = group.split("||").find_map(|alt| fill_plain(alt, args)) {
            out.push_str(&text);
        }
        rest = after.get(close + 1..)?;
    }
    out.push_str(&fill_plain(rest, args)?);
    Some(out)
}

/// Fills `{name}` / `{?name}` in a text without groups; `None` when an argument is missing.
fn fill_plain(text: &str, args: &[(&str, String)]) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open)?);
        let after = rest.get(open + 1..)?;
        let close = after.find('}')?;
        let name = after.get(..close)?;
        let (cond, name) = match name.strip_prefix('?') {
            Some(n) => (true, n),
            None => (false, name),
        };
        let (_, value) = args.iter().find(|(k, _)| *k == name)?;
        if !cond {
            out.push_str(value);
        }
        rest = after.get(close + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}

/// The argument names a template uses (`{name}` and `{?name}`), sorted and deduplicated.
#[cfg(test)]
pub fn placeholders(template: &str) -> Vec<String> {
    let mut names: Vec<String> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .map(|s| s.trim_start_matches('?').to_string())
        .collect();
    oomlens_core::base::sort::sort_by(&mut names, |a, b| a.cmp(b));
    names.dedup();
    names
}

/// The catalogue key naming an input kind (`kernel_oom` → `inc.kind.kernel_oom`).
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "kernel_oom" => "inc.kind.kernel_oom",
        "systemd_oomd" => "inc.kind.systemd_oomd",
        "memory_stat" => "inc.kind.memory_stat",
        "describe_pod" => "inc.kind.describe_pod",
        "describe_node" => "inc.kind.describe_node",
        "eviction_message" => "inc.kind.eviction_message",
        "pod_manifest" => "inc.kind.pod_manifest",
        "kubelet_config" => "inc.kind.kubelet_config",
        _ => "inc.kind.other",
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

    fn finding(id: &str, args: &[(&str, &str)]) -> FindingView {
        FindingView {
            id: id.into(),
            message: "English from the core".into(),
            advice: "Advice from the core".into(),
            args: args
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn english_is_always_the_core_message() {
        let f = finding("oom.container_limit", &[]);
        assert_eq!(finding_message(Lang::En, &f), "English from the core");
        assert_eq!(finding_advice(Lang::En, &f), "Advice from the core");
    }

    #[test]
    fn unknown_ids_fall_back_to_english_in_chinese() {
        let f = finding("no.such.id", &[]);
        assert_eq!(finding_message(Lang::Zh, &f), "English from the core");
    }

    #[test]
    fn known_ids_are_translated_with_their_args_or_fall_back_when_args_are_missing() {
        let f = finding("memory_stat.oom_kills", &[("count", "42")]);
        let full = finding_message(Lang::Zh, &f);
        assert!(full.contains("42") && !full.contains('{'), "{full}");
        assert_eq!(
            finding_message(Lang::Zh, &finding("memory_stat.oom_kills", &[])),
            "English from the core"
        );
    }

    #[test]
    fn templates_fill_optional_groups_and_conditions() {
        let args = |v: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
            v.iter().map(|(k, v)| (*k, v.to_string())).collect()
        };
        let t = "a[ b={b}||c={c}||d][{?x} x]{e}";
        assert_eq!(
            fill(t, &args(&[("b", "1"), ("e", "!")])).as_deref(),
            Some("a b=1!")
        );
        assert_eq!(
            fill(t, &args(&[("c", "2"), ("e", "!")])).as_deref(),
            Some("ac=2!")
        );
        assert_eq!(
            fill(t, &args(&[("x", "y"), ("e", "!")])).as_deref(),
            Some("ad x!")
        );
        assert_eq!(fill(t, &args(&[("b", "1")])), None);
        assert_eq!(fill("{unclosed", &args(&[])), None);
        assert_eq!(fill("[unclosed", &args(&[])), None);
        assert_eq!(
            placeholders("[{?a}x||{b}]{a}"),
            vec!["a".to_string(), "b".to_string()]
        );
    }

    #[test]
    fn every_core_finding_id_has_a_chinese_template_with_the_english_placeholders() {
        use oomlens_core::explanation::FINDING_IDS;
        for id in FINDING_IDS {
            let rows: Vec<_> = incident::FINDINGS
                .iter()
                .filter(|(k, _, _)| k == id)
                .collect();
            assert_eq!(rows.len(), 1, "{id}: {} FINDINGS rows", rows.len());
        }
        for (table, name) in [
            (incident::FINDINGS, "FINDINGS"),
            (incident::ADVICE, "ADVICE"),
        ] {
            let mut ids: Vec<&str> = table.iter().map(|(k, _, _)| *k).collect();
            let n = ids.len();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), n, "{name} has duplicate ids");
            for (id, en, zh) in table {
                assert!(FINDING_IDS.contains(id), "{name}: {id} is not a core id");
                assert_eq!(
                    placeholders(en),
                    placeholders(zh),
                    "{name} {id}: placeholders differ"
                );
                assert!(
                    zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{name} {id}: no Chinese"
                );
                assert_eq!(
                    en.matches('[').count(),
                    en.matches(']').count(),
                    "{name} {id}"
                );
                assert_eq!(
                    zh.matches('[').count(),
                    zh.matches(']').count(),
                    "{name} {id}"
                );
            }
        }
    }

    /// The Chinese kernel-choice table covers exactly the core's reasons, with the same placeholders.
    #[test]
    fn choice_reasons_have_chinese_with_the_same_placeholders() {
        let core = oomlens_core::explanation::CHOICE_REASONS;
        assert_eq!(core.len(), incident::CHOICE_REASONS_ZH.len());
        for (id, en) in core {
            let zh = incident::CHOICE_REASONS_ZH
                .iter()
                .find(|(z, _)| z == id)
                .unwrap_or_else(|| panic!("{id} has no Chinese"))
                .1;
            let (mut a, mut b) = (placeholders(en), placeholders(zh));
            a.sort();
            b.sort();
            assert_eq!(a, b, "{id}");
        }
    }

    /// On every kernel fixture, each kernel-choice reason renders in Chinese (no English fallback)
    /// and the English parts are exactly the core's sentence.
    #[test]
    fn kernel_choice_reasons_on_the_fixtures_are_translated() {
        use crate::pages::incident::{analysis::ExplanationView, fixtures};
        let mut checked = 0;
        for (_, text) in fixtures::texts(&[fixtures::KERNEL, fixtures::SAMPLES]) {
            let ex = ExplanationView::from(&oomlens_core::explain(&text));
            for c in ex
                .oom_events
                .iter()
                .filter_map(|ev| ev.kernel_choice.as_ref())
            {
                assert!(!c.why_parts.is_empty(), "{}", c.why);
                assert_eq!(choice_why(Lang::En, c), c.why);
                let zh = choice_why(Lang::Zh, c);
                assert_ne!(zh, c.why, "no Chinese for {:?}", c.why_parts);
                assert!(!zh.contains('{'), "{zh}");
                checked += 1;
            }
        }
        assert!(checked >= 10, "{checked} kernel choices");
    }

    /// Every finding the core emits on the real fixtures (core tests/fixtures, examples/incidents)
    /// is shown in Chinese from its template, never by the English fallback; same for its advice.
    #[test]
    fn every_finding_on_the_fixtures_is_translated() {
        use crate::pages::incident::{analysis::ExplanationView, fixtures};
        let mut files = 0;
        let mut checked = 0;
        for (name, text) in fixtures::texts(&fixtures::ALL) {
            if name.ends_with(".md") || name.contains("LICENSE") {
                continue;
            }
            files += 1;
            let ex = ExplanationView::from(&oomlens_core::explain(&text));
            for f in &ex.findings {
                let zh = localised(Lang::Zh, incident::FINDINGS, &f.id, &f.args);
                assert!(
                    zh.is_some(),
                    "{name}: {} not translated with args {:?}",
                    f.id,
                    f.args
                );
                if !f.advice.trim().is_empty() {
                    let a = localised(Lang::Zh, incident::ADVICE, &f.id, &f.args);
                    assert!(a.is_some(), "{name}: advice of {} not translated", f.id);
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
    fn byte_arguments_are_shown_as_sizes() {
        let f = finding(
            "eviction.offender",
            &[
                ("name", "app"),
                ("usage", "2Gi"),
                ("request", "1Gi"),
                ("excess_bytes", "1073741824"),
            ],
        );
        let zh = finding_message(Lang::Zh, &f);
        assert!(
            zh.contains("1 GiB") && zh.contains("app") && !zh.contains("1073741824"),
            "{zh}"
        );
    }

    #[test]
    fn empty_advice_stays_empty() {
        let mut f = finding("oom.container_limit", &[]);
        f.advice = " ".into();
        assert_eq!(finding_advice(Lang::Zh, &f), "");
    }

    #[test]
    fn ids_are_shortened_and_sizes_formatted() {
        assert_eq!(short_id("b27201334a41cd0749d053b18378d7ea"), "b27201334a41");
        assert_eq!(bytes(Lang::En, Some(1_073_741_824)), "1 GiB");
        assert_eq!(bytes(Lang::En, None), lookup(Lang::En, "inc.unknown"));
    }
}
