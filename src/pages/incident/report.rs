//! "Copy report": the analysis as a Markdown summary for an incident ticket, in the page's
//! language, optionally with host names, IP addresses, pod names, pod UIDs and container ids
//! replaced by stable placeholders (`<host-1>`, `<pod-uid-1>`, …) before it leaves the page.

use super::analysis::{block_lines, Analysis, OomEventView};
use super::text::{bytes, finding_advice, finding_message, kind_key, or_unknown, severity_key, tr};
use super::verdict::{mechanism_key, qos_text, verdict_sentence};
use crate::i18n::{lookup, Lang};
use std::fmt::Write;

/// The Markdown report of `a` in `lang`; `redact` hides host names, IPs, pod names, UIDs and container ids.
pub fn markdown(a: &Analysis, lang: Lang, redact: bool) -> String {
    let mut md = String::new();
    let t = |k: &str| lookup(lang, k);
    let _ = writeln!(md, "# {}\n", t("inc.report.title"));
    let _ = writeln!(
        md,
        "{}\n",
        tr(
            lang,
            "inc.report.input",
            &[
                ("lines", a.line_count.to_string()),
                ("size", bytes(lang, Some(a.bytes as i64)))
            ]
        )
    );
    if !a.explanation.inputs.is_empty() {
        let _ = writeln!(md, "## {}\n", t("inc.detected.title"));
        for b in &a.explanation.inputs {
            let _ = writeln!(
                md,
                "- {} — {}",
                t(kind_key(&b.kind)),
                range_text(lang, b.first_line, b.last_line)
            );
        }
        md.push('\n');
    }
    for (i, e) in a.explanation.oom_events.iter().enumerate() {
        event_section(&mut md, a, lang, i, e);
    }
    if a.events_total > a.explanation.oom_events.len() {
        let _ = writeln!(
            md,
            "{}\n",
            tr(
                lang,
                "inc.events.more",
                &[
                    ("shown", a.explanation.oom_events.len().to_string()),
                    ("total", a.events_total.to_string())
                ]
            )
        );
    }
    for m in &a.explanation.memory_stats {
        let _ = writeln!(
            md,
            "## {} ({})\n",
            t("inc.memstat.title"),
            range_text(lang, m.first_line, m.last_line)
        );
        for (k, v) in [
            ("inc.memstat.usage", m.usage_bytes),
            ("inc.memstat.working_set", m.working_set_bytes),
            ("inc.memstat.limit", m.limit_bytes),
            ("inc.memstat.anon", m.anon_bytes),
            ("inc.memstat.file", m.file_bytes),
            ("inc.memstat.active_file", m.active_file_bytes),
            ("inc.memstat.inactive_file", m.inactive_file_bytes),
            ("inc.memstat.shmem", m.shmem_bytes),
            ("inc.memstat.swap", m.swap_bytes),
        ] {
            if v.is_some() {
                let _ = writeln!(md, "- {}: {}", t(k), bytes(lang, v));
            }
        }
        md.push('\n');
    }
    if !a.explanation.findings.is_empty() {
        let _ = writeln!(md, "## {}\n", t("inc.findings.title"));
        for f in &a.explanation.findings {
            let lines = lines_text(lang, &f.lines);
            let _ = writeln!(
                md,
                "- **{}** {}{}",
                t(severity_key(&f.severity)),
                finding_message(lang, f),
                lines
            );
            let advice = finding_advice(lang, f);
            if !advice.is_empty() {
                let _ = writeln!(md, "  - {}: {}", t("inc.todo"), advice);
            }
        }
        md.push('\n');
    }
    let _ = writeln!(md, "_{}_", t("inc.report.footer"));
    if redact {
        redact_text(&md, &names_to_redact(a))
    } else {
        md
    }
}

fn event_section(md: &mut String, a: &Analysis, lang: Lang, i: usize, e: &OomEventView) {
    let t = |k: &str| lookup(lang, k);
    let _ = writeln!(
        md,
        "## {} {} — {} ({})\n",
        t("inc.event"),
        i + 1,
        t(mechanism_key(e)),
        tr(lang, "inc.line_n", &[("n", e.line.to_string())])
    );
    let _ = writeln!(md, "{}\n", verdict_sentence(lang, e));
    if let Some(r) = &e.repeats {
        let _ = writeln!(
            md,
            "{}\n",
            super::verdicts::repeats_text(lang, e.line, r).replace('`', "'")
        );
    }
    for (k, v) in [
        ("inc.cg.oom_memcg", e.oom_memcg.as_deref()),
        ("inc.cg.task_memcg", e.task_memcg.as_deref()),
        ("inc.cg.pod_uid", e.pod_uid.as_deref()),
        ("inc.cg.container_id", e.container_id.as_deref()),
        ("inc.cg.runtime", e.runtime.as_deref()),
        ("inc.cg.driver", e.cgroup_driver.as_deref()),
    ] {
        if v.is_some() {
            let _ = writeln!(
                md,
                "- {}: `{}`",
                t(k),
                or_unknown(lang, v).replace('`', "'")
            );
        }
    }
    let _ = writeln!(
        md,
        "- {}: {}",
        t("inc.cg.qos"),
        qos_text(lang, e.qos_class.as_deref())
    );
    if let Some(c) = &e.kernel_choice {
        let key = match (e.victim.is_some(), c.agrees_with_victim) {
            (false, _) => "inc.choice.no_victim",
            (true, true) => "inc.choice.agrees",
            (true, false) => "inc.choice.differs",
        };
        let _ = writeln!(
            md,
            "- {}",
            tr(
                lang,
                key,
                &[
                    ("pid", c.pid.to_string()),
                    ("why", super::text::choice_why(lang, c))
                ]
            )
        );
    }
    let lines: Vec<usize> = e.lines.iter().copied().take(60).collect();
    evidence_block(md, a, &lines);
}

fn evidence_block(md: &mut String, a: &Analysis, lines: &[usize]) {
    let body: Vec<String> = lines
        .iter()
        .filter_map(|n| a.line(*n).map(|s| format!("{n:>6} | {s}")))
        .collect();
    if body.is_empty() {
        return;
    }
    let longest_run = body
        .iter()
        .map(|l| longest_backtick_run(l))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    let _ = writeln!(md, "\n{fence}text\n{}\n{fence}\n", body.join("\n"));
}

fn longest_backtick_run(s: &str) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        cur = if c == '`' { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

fn range_text(lang: Lang, first: usize, last: usize) -> String {
    if first == last {
        tr(lang, "inc.line_n", &[("n", first.to_string())])
    } else {
        tr(
            lang,
            "inc.lines_range",
            &[("first", first.to_string()), ("last", last.to_string())],
        )
    }
}

fn lines_text(lang: Lang, lines: &[usize]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let list: Vec<String> = lines.iter().take(12).map(|n| n.to_string()).collect();
    let more = if lines.len() > 12 { ", …" } else { "" };
    format!(
        " ({})",
        tr(
            lang,
            "inc.lines_list",
            &[("list", format!("{}{more}", list.join(", ")))]
        )
    )
}

/// What to hide, by category, read from the kept lines: node/host names, pod names.
#[derive(Debug, Default, PartialEq)]
pub struct Names {
    /// Host / node names.
    pub hosts: Vec<String>,
    /// Pod names.
    pub pods: Vec<String>,
}

/// Host and pod names found in the kept input lines: the host before `kernel:` in syslog lines,
/// `Node:` / `Name:` of `kubectl describe`, and `pod="ns/name"` in kubelet logs.
pub fn names_to_redact(a: &Analysis) -> Names {
    let mut names = Names::default();
    let kind_of = |n: usize| {
        a.explanation
            .inputs
            .iter()
            .find(|b| b.first_line <= n && n <= b.last_line)
            .map(|b| b.kind.as_str())
    };
    let describe_node_first: Vec<usize> = a
        .explanation
        .inputs
        .iter()
        .filter(|b| b.kind == "describe_node")
        .flat_map(|b| block_lines(b.first_line, b.last_line))
        .collect();
    for (n, line) in &a.lines {
        if let Some(host) = syslog_host(line) {
            push_unique(&mut names.hosts, host);
        }
        let trimmed = line.trim_start();
        if let Some(v) = trimmed.strip_prefix("Node:") {
            let v = v.trim();
            let host = v.split('/').next().unwrap_or(v).trim();
            if !host.is_empty() && host != "<none>" {
                push_unique(&mut names.hosts, host);
            }
        }
        if let Some(v) = trimmed.strip_prefix("Name:") {
            let v = v.trim();
            if !v.is_empty() && !line.starts_with(' ') {
                if describe_node_first.contains(n) || kind_of(*n) == Some("describe_node") {
                    push_unique(&mut names.hosts, v);
                } else {
                    push_unique(&mut names.pods, v);
                }
            }
        }
        let mut rest = line.as_str();
        while let Some(i) = rest.find("pod=\"") {
            let after = rest.get(i + 5..).unwrap_or("");
            let value = after.split('"').next().unwrap_or("");
            let name = value.rsplit('/').next().unwrap_or(value);
            if !name.is_empty() {
                push_unique(&mut names.pods, name);
            }
            rest = after;
        }
    }
    names
}

fn push_unique(list: &mut Vec<String>, v: &str) {
    if !list.iter().any(|x| x == v) {
        list.push(v.to_string());
    }
}

/// `Jan  5 02:12:02 HOST kernel: …` or `2024-01-05T02:12:02+00:00 HOST kernel: …` → HOST.
fn syslog_host(line: &str) -> Option<&str> {
    let i = line.find(" kernel:").or_else(|| line.find(" kubelet["))?;
    let before = line.get(..i)?;
    let host = before.rsplit(' ').next()?;
    let looks_like_host = !host.is_empty()
        && !host.contains(':')
        && !host.starts_with('[')
        && host.chars().any(|c| c.is_ascii_alphabetic())
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_');
    looks_like_host.then_some(host)
}

/// Replaces the given names, UUIDs (dash or underscore form), 64-hex container ids (and their
/// 12-character prefixes) and IPv4 addresses with numbered placeholders.
pub fn redact_text(text: &str, names: &Names) -> String {
    let mut out = text.to_string();
    // Longest first so a name that contains another is replaced whole.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (i, h) in names.hosts.iter().enumerate() {
        pairs.push((h.clone(), format!("<host-{}>", i + 1)));
    }
    for (i, p) in names.pods.iter().enumerate() {
        pairs.push((p.clone(), format!("<pod-{}>", i + 1)));
    }
    oomlens_core::base::sort::sort_by_key(&mut pairs, |p| std::cmp::Reverse(p.0.len()));
    for (from, to) in &pairs {
        if from.len() >= 3 {
            out = out.replace(from.as_str(), to);
        }
    }
    out = replace_tokens(&out, |w| is_hex(w, 64), "container-id", true);
    out = replace_uuids(&out);
    replace_tokens(&out, is_ipv4, "ip", false)
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// Splits `text` into maximal runs of `[0-9A-Za-z.]` and replaces runs (or hex substrings for
/// container ids) matching `pred` with `<label-N>`; with `prefixes`, the 12-character prefixes of
/// matched values are replaced too.
fn replace_tokens(text: &str, pred: impl Fn(&str) -> bool, label: &str, prefixes: bool) -> String {
    let mut seen: Vec<String> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, seen: &mut Vec<String>| {
        // Container ids sit inside words like `docker-<id>.scope`: look at hex runs inside too.
        let candidates: Vec<&str> = word
            .split(|c: char| !c.is_ascii_hexdigit() && c != '.')
            .collect();
        let mut replaced = word.clone();
        for c in candidates
            .iter()
            .flat_map(|c| c.split('.'))
            .chain(std::iter::once(word.as_str()))
        {
            if pred(c) {
                let n = match seen.iter().position(|s| s == c) {
                    Some(i) => i + 1,
                    None => {
                        seen.push(c.to_string());
                        seen.len()
                    }
                };
                replaced = replaced.replace(c, &format!("<{label}-{n}>"));
            }
        }
        out.push_str(&replaced);
        word.clear();
    };
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' || ch == '_' {
            word.push(ch);
        } else {
            flush(&mut word, &mut out, &mut seen);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out, &mut seen);
    if prefixes {
        for (i, id) in seen.iter().enumerate() {
            if let Some(p) = id.get(..12) {
                out = out.replace(p, &format!("<{label}-{}>", i + 1));
            }
        }
    }
    out
}

/// Replaces 8-4-4-4-12 hex UUIDs, with `-` or `_` separators, by `<pod-uid-N>` (both forms of
/// one UID get the same N).
fn replace_uuids(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut seen: Vec<String> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut i = 0usize;
    let mut copied = 0usize;
    while i + 36 <= bytes.len() {
        let Some(cand) = bytes.get(i..i + 36) else {
            break;
        };
        if is_uuid(cand) {
            let norm: String = cand
                .iter()
                .map(|b| {
                    if *b == b'_' {
                        '-'
                    } else {
                        (*b as char).to_ascii_lowercase()
                    }
                })
                .collect();
            let n = match seen.iter().position(|s| *s == norm) {
                Some(k) => k + 1,
                None => {
                    seen.push(norm);
                    seen.len()
                }
            };
            out.push_str(text.get(copied..i).unwrap_or(""));
            out.push_str(&format!("<pod-uid-{n}>"));
            i += 36;
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(text.get(copied..).unwrap_or(""));
    out
}

fn is_uuid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-' || *c == b'_',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::super::analysis::{
        from_view, ExplanationView, FindingView, InputBlockView, VictimView,
    };
    use super::*;
    use oomlens_core::base::message::{Arg, Message};

    const UID: &str = "0330b2c1-a15b-4cdd-b5e5-72d4a90bee82";
    const CID: &str = "b27201334a41cd0749d053b18378d7ea65617b8e26277197ea25c974da1a5a8a";

    fn sample() -> Analysis {
        let text = format!(
            "Jan  5 02:12:02 iZbp153spuk45ulvkwxf34Z kernel: Task in /kubepods.slice/kubepods-burstable-pod0330b2c1_a15b_4cdd_b5e5_72d4a90bee82.slice/docker-{CID}.scope killed\n\
             Jan  5 02:12:02 iZbp153spuk45ulvkwxf34Z kernel: Killed process 21284 (envoy)\n\
             Name:         web-7c7454f99c-l6hhp\n\
             Node:         ip-10-0-1-2.ec2.internal/10.0.1.2\n"
        );
        let view = ExplanationView {
            inputs: vec![
                InputBlockView {
                    kind: "kernel_oom".into(),
                    first_line: 1,
                    last_line: 2,
                },
                InputBlockView {
                    kind: "describe_pod".into(),
                    first_line: 3,
                    last_line: 4,
                },
            ],
            oom_events: vec![OomEventView {
                line: 1,
                scope: Some("container".into()),
                pod_uid: Some(UID.into()),
                container_id: Some(CID.into()),
                qos_class: Some("Burstable".into()),
                victim: Some(VictimView {
                    pid: 21284,
                    comm: "envoy".into(),
                    ..Default::default()
                }),
                lines: vec![1, 2],
                ..Default::default()
            }],
            findings: vec![FindingView {
                severity: "critical".into(),
                message: Message::with(
                    "oom.victim.named",
                    [
                        ("comm", Arg::text("web-7c7454f99c-l6hhp")),
                        ("pid", Arg::Int(21284)),
                    ],
                ),
                advice: Some(Message::with(
                    "advice.oom.container_limit",
                    [("pinned", Arg::optional(None))],
                )),
                lines: vec![2],
            }],
            ..Default::default()
        };
        from_view(&text, view)
    }

    #[test]
    fn report_has_verdict_evidence_and_advice() {
        let md = markdown(&sample(), Lang::En, false);
        assert!(md.contains(&verdict_sentence(
            Lang::En,
            &sample().explanation.oom_events[0]
        )));
        assert!(md.contains("     2 | Jan  5 02:12:02 iZbp153spuk45ulvkwxf34Z kernel: Killed process 21284 (envoy)"), "{md}");
        assert!(md.contains("web-7c7454f99c-l6hhp (PID 21284)"), "{md}");
        assert!(md.contains("Raise the container's memory limit above its real peak or"));
        assert!(md.contains(UID) && md.contains("iZbp153spuk45ulvkwxf34Z"));
    }

    #[test]
    fn redaction_hides_hosts_pods_uids_ids_and_ips_but_keeps_the_facts() {
        let md = markdown(&sample(), Lang::En, true);
        for secret in [
            "iZbp153spuk45ulvkwxf34Z",
            "web-7c7454f99c-l6hhp",
            "ip-10-0-1-2",
            "10.0.1.2",
            UID,
            "0330b2c1_a15b",
            CID,
            "b27201334a41",
        ] {
            assert!(!md.contains(secret), "{secret} left in:\n{md}");
        }
        for kept in [
            "<host-1>",
            "<pod-1>",
            "<pod-uid-1>",
            "<container-id-1>",
            "21284",
            "envoy",
            "Burstable",
        ] {
            assert!(md.contains(kept), "{kept} missing:\n{md}");
        }
        // Both spellings of the one UID get the same placeholder.
        assert!(!md.contains("<pod-uid-2>"), "{md}");
    }

    #[test]
    fn names_are_read_from_syslog_and_describe_lines() {
        let names = names_to_redact(&sample());
        assert_eq!(
            names.hosts,
            vec![
                "iZbp153spuk45ulvkwxf34Z".to_string(),
                "ip-10-0-1-2.ec2.internal".to_string()
            ]
        );
        assert_eq!(names.pods, vec!["web-7c7454f99c-l6hhp".to_string()]);
        assert_eq!(syslog_host("[ 1573.878353] cp invoked oom-killer"), None);
        assert_eq!(
            syslog_host("[Thu Dec  7 00:05:14 2017] x kernel: y"),
            Some("x")
        );
    }

    #[test]
    fn evidence_fences_outgrow_backticks_in_the_paste() {
        let view = ExplanationView {
            findings: vec![FindingView {
                lines: vec![1],
                severity: "info".into(),
                message: Message::plain("choice.no_killed_line"),
                advice: None,
            }],
            oom_events: vec![OomEventView {
                line: 1,
                lines: vec![1],
                ..Default::default()
            }],
            ..Default::default()
        };
        let a = from_view("```\n", view);
        let md = markdown(&a, Lang::Zh, false);
        assert!(md.contains("````text\n     1 | ```\n````"), "{md}");
    }

    #[test]
    fn uuids_are_replaced_inside_cgroup_names_too() {
        let s = replace_uuids(&format!(
            "pod{UID}.slice x{} {}",
            UID.to_uppercase(),
            &UID[..30]
        ));
        assert_eq!(
            s,
            format!("pod<pod-uid-1>.slice x<pod-uid-1> {}", &UID[..30])
        );
    }
}
