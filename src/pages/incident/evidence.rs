//! Evidence: the input lines that prove a conclusion, with their line numbers, gaps marked, and
//! the values the core read (victim pid and command, pod UID, container id) highlighted. Pasted
//! text is only ever inserted as text nodes.

use super::analysis::{Analysis, OomEventView};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::sync::Arc;

/// Splits `line` into (text, highlighted) runs: whole-word occurrences of any of `tokens`.
pub fn segments(line: &str, tokens: &[String]) -> Vec<(String, bool)> {
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for tok in tokens.iter().filter(|t| !t.is_empty()) {
        let mut from = 0;
        while let Some(off) = line.get(from..).and_then(|rest| rest.find(tok.as_str())) {
            let start = from + off;
            let end = start + tok.len();
            let before_ok = line
                .get(..start)
                .and_then(|s| s.chars().last())
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = line
                .get(end..)
                .and_then(|s| s.chars().next())
                .is_none_or(|c| !c.is_alphanumeric());
            if before_ok && after_ok {
                marks.push((start, end));
            }
            from = end;
        }
    }
    marks.sort_unstable();
    let mut out = Vec::new();
    let mut pos = 0;
    for (s, e) in marks {
        if s < pos {
            continue;
        }
        if s > pos {
            out.push((line.get(pos..s).unwrap_or("").to_string(), false));
        }
        out.push((line.get(s..e).unwrap_or("").to_string(), true));
        pos = e;
    }
    if pos < line.len() || out.is_empty() {
        out.push((line.get(pos..).unwrap_or("").to_string(), false));
    }
    out
}

/// The values of an event worth highlighting in its evidence.
pub fn event_tokens(e: &OomEventView) -> Vec<String> {
    let mut t = Vec::new();
    if let Some(v) = &e.victim {
        t.push(v.pid.to_string());
        t.push(v.comm.clone());
    }
    if let Some(uid) = &e.pod_uid {
        t.push(uid.clone());
        t.push(uid.replace('-', "_"));
    }
    if let Some(c) = &e.container_id {
        t.push(c.clone());
    }
    t.retain(|s| !s.trim().is_empty());
    t
}

/// Numbered evidence lines; lines holding a token (or listed in `key_lines`) are emphasised.
#[component]
pub fn Evidence(
    analysis: Arc<Analysis>,
    lines: Vec<usize>,
    tokens: Vec<String>,
    key_lines: Vec<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let mut rows = Vec::new();
    let mut prev: Option<usize> = None;
    // Each region is named by its lines (landmarks need distinct names).
    let (first, last) = (
        lines.iter().copied().min().unwrap_or(0),
        lines.iter().copied().max().unwrap_or(0),
    );
    for n in lines {
        let Some(text) = analysis.line(n) else {
            continue;
        };
        if prev.is_some_and(|p| n > p + 1) {
            rows.push(view! { <div class="ev-gap" aria-hidden="true">"⋯"</div> }.into_any());
        }
        prev = Some(n);
        let segs = segments(text, &tokens);
        let key = key_lines.contains(&n) || segs.iter().any(|(_, h)| *h);
        let parts = segs
            .into_iter()
            .map(|(s, h)| {
                if h {
                    view! { <mark>{s}</mark> }.into_any()
                } else {
                    view! { <span>{s}</span> }.into_any()
                }
            })
            .collect_view();
        rows.push(
            view! {
                <div class="ev-line" class:key=key data-line=n>
                    <span class="ln">{n}</span>
                    <code>{parts}</code>
                </div>
            }
            .into_any(),
        );
    }
    view! {
        // Focusable: the box scrolls sideways, and keyboard users must be able to scroll it.
        <div class="evidence" role="region" tabindex="0"
            aria-label=move || i18n.tf("inc.evidence_lines", &[("first", first.to_string()), ("last", last.to_string())])>
            {rows}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_whole_words_only() {
        let s = segments(
            "Killed process 28438 (java) pid 284380",
            &["28438".into(), "java".into()],
        );
        assert_eq!(
            s,
            vec![
                ("Killed process ".to_string(), false),
                ("28438".to_string(), true),
                (" (".to_string(), false),
                ("java".to_string(), true),
                (") pid 284380".to_string(), false),
            ]
        );
    }

    #[test]
    fn plain_and_empty_lines_are_one_run() {
        assert_eq!(segments("", &["x".into()]), vec![(String::new(), false)]);
        assert_eq!(
            segments("<b>hi</b>", &[]),
            vec![("<b>hi</b>".to_string(), false)]
        );
    }

    #[test]
    fn overlapping_tokens_do_not_duplicate_text() {
        let s = segments("abc abc-def", &["abc".into(), "abc-def".into()]);
        let joined: String = s.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(joined, "abc abc-def");
    }

    #[test]
    fn event_tokens_include_both_uid_spellings() {
        let e = OomEventView {
            pod_uid: Some("a-b".into()),
            ..Default::default()
        };
        assert_eq!(event_tokens(&e), vec!["a-b".to_string(), "a_b".to_string()]);
    }
}
