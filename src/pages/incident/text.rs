//! Small text helpers for the incident page: localised lookups with placeholders, byte sizes,
//! short ids, and the localisation of the core's findings by `id` + `args`.

use super::analysis::FindingView;
use crate::i18n::{format, incident, lookup, Lang};

/// The text of `key` in `lang`, placeholders filled.
pub fn tr(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    format(lookup(lang, key), args)
}

/// A byte count for people (`1 GiB`, `512.50 MiB`), or the localised "unknown".
pub fn bytes(lang: Lang, value: Option<i64>) -> String {
    match value {
        Some(b) => oomlens_core::quantity::format_bytes(b),
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
                (true, Ok(b)) => oomlens_core::quantity::format_bytes(b),
                _ => v.clone(),
            };
            (k.as_str(), shown)
        })
        .collect();
    let text = format(zh, &args);
    // A template naming an argument the core did not send would show `{name}`: use English then.
    if text.contains('{') {
        return None;
    }
    Some(text)
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
        let Some((id, _, zh)) = incident::FINDINGS
            .iter()
            .find(|(_, _, zh)| zh.contains('{'))
        else {
            return;
        };
        let names: Vec<String> = zh
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .map(str::to_string)
            .collect();
        let args: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "42")).collect();
        let full = finding_message(Lang::Zh, &finding(id, &args));
        assert!(full.contains("42") && !full.contains('{'), "{full}");
        assert_eq!(
            finding_message(Lang::Zh, &finding(id, &[])),
            "English from the core"
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
