//! Every sentence oomlens writes for people, in the page language. The model's (eviction reasons,
//! timeline steps and outcome, notes) and the incident reader's (findings, advice, kernel-choice
//! reasons) are `oomlens_core::base::message::Message`s: a stable id plus typed arguments. English
//! comes from the core's templates (`oomlens_core::base::message::{MODEL, DIAG}`), Chinese from the
//! `[messages]` section of `zh.txt` (`super::zh_text`), keyed by the same ids with the same `{placeholders}` (a test checks
//! both). Arguments are formatted by the app: sizes with the app's byte formatter (binary units, the
//! exact count on hover), numbers as written, ids and signal names verbatim, nested phrases and
//! lists of phrases translated on their own.

use super::Lang;
use oomlens_core::base::message::{Arg, Join, Message};

/// One piece of a rendered message: text, or a size in bytes the view shows in binary units with
/// the exact count on hover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text, already in the page language.
    Text(String),
    /// A size in bytes.
    Bytes(i64),
}

/// Argument names whose integer value is a size in bytes (besides `Arg::Bytes` / `Arg::ExactBytes`).
const BYTE_INTS: &[&str] = &["excess"];

/// The template of `id` in `lang`: Chinese from `zh.txt` once loaded (`super::zh_text`), English
/// (and the fallback) from the core's tables this module registered (`super::registry`).
pub fn template_in(lang: Lang, id: &str) -> Option<&'static str> {
    if lang == Lang::Zh {
        if let Some(t) = super::registry::message_zh(id) {
            return Some(t);
        }
    }
    super::registry::message_en(id)
}

/// The clause separator of a sentence built from several messages (an eviction reason).
pub fn clause_separator(lang: Lang) -> &'static str {
    join_separator(lang, Join::Clauses)
}

/// What joins the messages of an `Arg::List` in `lang` (Chinese sentences need no space).
fn join_separator(lang: Lang, join: Join) -> &'static str {
    match (lang, join) {
        (Lang::En, j) => j.english(),
        (Lang::Zh, Join::Clauses) => "；",
        (Lang::Zh, Join::Concat | Join::Sentences) => "",
    }
}

fn push_text(out: &mut Vec<Piece>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Piece::Text(last)) = out.last_mut() {
        last.push_str(s);
    } else {
        out.push(Piece::Text(s.to_string()));
    }
}

fn push_arg(out: &mut Vec<Piece>, lang: Lang, name: &str, arg: &Arg, depth: u8) {
    match arg {
        Arg::Bytes(b) | Arg::ExactBytes(b) => out.push(Piece::Bytes(*b)),
        Arg::Int(v) if BYTE_INTS.contains(&name) => out.push(Piece::Bytes(*v)),
        Arg::Int(v) => push_text(out, &v.to_string()),
        Arg::Float(f) => push_text(out, &f.to_string()),
        Arg::Decimal(f, places) => push_text(out, &format!("{f:.*}", usize::from(*places))),
        Arg::Text(t) => push_text(out, t),
        Arg::Message(m) => push_message(out, lang, m, depth.saturating_add(1)),
        Arg::List(items, join) => {
            for (i, m) in items.iter().enumerate() {
                if i > 0 {
                    push_text(out, join_separator(lang, *join));
                }
                push_message(out, lang, m, depth.saturating_add(1));
            }
        }
    }
}

fn push_message(out: &mut Vec<Piece>, lang: Lang, msg: &Message, depth: u8) {
    // Nested phrases are one level deep in the catalogue; a bound keeps a malformed value finite.
    if depth > 8 {
        return;
    }
    let Some(tpl) = template_in(lang, msg.id) else {
        push_text(out, msg.id);
        return;
    };
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        push_text(out, rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else {
            push_text(out, "{");
            rest = after;
            continue;
        };
        let name = after.get(..close).unwrap_or("");
        match msg.arg(name) {
            Some(a) => push_arg(out, lang, name, a, depth),
            None => {
                push_text(out, "{");
                push_text(out, name);
                push_text(out, "}");
            }
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    push_text(out, rest);
}

/// `msg` in `lang` as pieces (text merged, sizes separate).
pub fn pieces(lang: Lang, msg: &Message) -> Vec<Piece> {
    let mut out = Vec::new();
    push_message(&mut out, lang, msg, 0);
    out
}

/// Several clauses of one sentence in `lang`, joined by [`clause_separator`].
pub fn pieces_joined(lang: Lang, clauses: &[Message]) -> Vec<Piece> {
    let mut out = Vec::new();
    for (i, m) in clauses.iter().enumerate() {
        if i > 0 {
            push_text(&mut out, clause_separator(lang));
        }
        push_message(&mut out, lang, m, 0);
    }
    out
}

/// `msg` in `lang` as plain text (sizes in binary units).
pub fn render(lang: Lang, msg: &Message) -> String {
    to_text(&pieces(lang, msg))
}

/// Pieces as plain text (sizes in binary units).
pub fn to_text(pieces: &[Piece]) -> String {
    let mut s = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => s.push_str(t),
            Piece::Bytes(b) => s.push_str(&oomlens_core::base::quantity::format_bytes(*b)),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use oomlens_core::base::message::{catalogue, placeholders};
    use std::collections::BTreeSet;

    /// Every id of the core's catalogue has a Chinese template with exactly the same placeholder
    /// names, and the Chinese table has no id the core does not know and no duplicate.
    #[test]
    fn the_chinese_table_covers_every_catalogue_id_with_the_same_placeholders() {
        let bundle = crate::i18n::zh_text::parse(crate::i18n::zh_text::BUILTIN).unwrap();
        let zh_table = &bundle.messages[..];
        for w in zh_table.windows(2) {
            assert!(
                w[0].0 < w[1].0,
                "ZH is not sorted: {} !< {}",
                w[0].0,
                w[1].0
            );
        }
        let zh_ids: BTreeSet<&str> = zh_table.iter().map(|(k, _)| *k).collect();
        assert_eq!(zh_ids.len(), zh_table.len(), "duplicate id in ZH");
        let core_ids: BTreeSet<&str> = catalogue().map(|(k, _)| *k).collect();
        assert_eq!(zh_ids, core_ids, "ZH ids differ from the core CATALOGUE");
        for (id, en) in catalogue() {
            let zh = zh_table
                .iter()
                .find(|(k, _)| k == id)
                .map(|(_, t)| *t)
                .unwrap_or("");
            let want: BTreeSet<&str> = placeholders(en).into_iter().collect();
            let got: BTreeSet<&str> = placeholders(zh).into_iter().collect();
            assert_eq!(got, want, "{id}: placeholders differ");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) || zh == *en,
                "{id}: not translated"
            );
        }
    }

    /// English rendering agrees with the core's own `Message::english`, except that sizes use the
    /// app's byte formatter; nested messages are translated; `excess` is a size.
    #[test]
    fn messages_render_with_typed_arguments() {
        let m = Message::new(
            "eviction.rank.over_request",
            vec![
                ("usage", Arg::ExactBytes(3 << 30)),
                ("request", Arg::ExactBytes(1 << 30)),
                ("priority", Arg::Int(-5)),
                ("excess", Arg::Int(2 << 30)),
            ],
        );
        assert_eq!(
            pieces(Lang::En, &m),
            vec![
                Piece::Text("over request (usage ".into()),
                Piece::Bytes(3 << 30),
                Piece::Text(" > request ".into()),
                Piece::Bytes(1 << 30),
                Piece::Text("), priority -5, usage − request = ".into()),
                Piece::Bytes(2 << 30),
            ]
        );
        assert_eq!(
            render(Lang::Zh, &m),
            "超出 request（用量 3 GiB > request 1 GiB），优先级 -5，用量 − request = 2 GiB"
        );
        let nested = Message::new(
            "timeline.kernel_oom.no_killable_task",
            vec![(
                "scope",
                Arg::Message(Box::new(Message::new(
                    "scope.pod",
                    vec![("pod", Arg::Text("shop/web".into()))],
                ))),
            )],
        );
        assert_eq!(
            render(Lang::Zh, &nested),
            "Pod shop/web 的 cgroup 内存耗尽，但没有可杀的进程"
        );
        assert_eq!(render(Lang::En, &nested), nested.english());
        let joined = pieces_joined(
            Lang::Zh,
            &[
                Message::plain("eviction.rank.no_stats"),
                Message::plain("eviction.rank.tied"),
            ],
        );
        assert_eq!(joined.len(), 1);
        assert!(to_text(&joined).contains("）；与前一个"));
        // An unknown id renders as itself; a missing argument stays a placeholder.
        let unknown = Message {
            id: "no.such.id",
            args: oomlens_core::base::message::Args::none(),
        };
        assert_eq!(render(Lang::Zh, &unknown), "no.such.id");
        assert_eq!(
            render(Lang::Zh, &Message::plain("note.kernel")),
            "内核 {kernel}：{rule}"
        );
    }

    /// Every message the model writes for the built-in examples renders in both languages with every
    /// placeholder filled, in Chinese with Chinese text, and there is one message per English note.
    #[test]
    fn every_example_renders_in_both_languages() {
        use crate::pages::calculator::examples::EXAMPLES;
        for ex in EXAMPLES {
            let s = oomlens_core::scenario::parse_scenario(ex.text()).unwrap();
            let full = oomlens_core::evaluate(&s).unwrap();
            let fast = &full;
            let clauses: Vec<Message> = fast
                .pods
                .iter()
                .flat_map(|p| p.eviction_messages())
                .collect();
            let mut all: Vec<&Message> = fast.note_messages.iter().collect();
            all.extend(clauses.iter());
            all.extend(fast.timeline.steps.iter().map(|s| &s.message));
            all.push(&fast.timeline.outcome_message);
            for m in all {
                for lang in [Lang::En, Lang::Zh] {
                    let t = render(lang, m);
                    assert!(
                        !t.contains('{') && !t.is_empty(),
                        "{}: {} → {t}",
                        ex.id,
                        m.id
                    );
                }
            }
            for step in &fast.timeline.steps {
                let zh = render(Lang::Zh, &step.message);
                assert!(
                    zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}: {zh}",
                    ex.id
                );
            }
            assert_eq!(
                full.notes().len(),
                fast.note_messages.len(),
                "{}: notes and note messages",
                ex.id
            );
        }
    }

    /// Every cloud preset's formula line (`NodeReport::preset_message`) renders in both languages:
    /// English as the core's `preset` line, Chinese with Chinese text, the preset name filled in.
    #[test]
    fn preset_formula_lines_render_in_both_languages() {
        use oomlens_core::kubelet::presets::{apply_preset_for_version, PRESET_NAMES};
        use oomlens_core::kubelet::rules::KubeletVersion;
        for name in PRESET_NAMES {
            for minor in [28, 34] {
                for capacity in [512i64 << 20, 16 << 30] {
                    let p = apply_preset_for_version(
                        name,
                        capacity,
                        Some(58),
                        KubeletVersion { major: 1, minor },
                    )
                    .unwrap();
                    let m = &p.message;
                    assert_eq!(render(Lang::En, m), p.formula_line(), "{name}");
                    let zh = render(Lang::Zh, m);
                    assert!(zh.starts_with(&format!("{}：", p.name)), "{name}: {zh}");
                    assert!(
                        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                        "{name}: {zh}"
                    );
                    assert!(!zh.contains("{preset}") && !zh.contains("{eviction_hard}"));
                }
            }
        }
    }
}
