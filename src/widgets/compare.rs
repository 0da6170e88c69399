//! Two evaluations compared, as a list a person reads: every changed number ("ns/pod/container ·
//! oom_score_adj: 988 → −997"), pods added or gone, and what now fires first. The comparison
//! itself is the core's (`oomlens_core::evaluation::compare`); training mode ("what changed since
//! the previous step") and the calculator ("compare with another release or my last change")
//! render it here.

use crate::i18n::{lookup, messages, Lang};
use crate::widgets::bytes::human;
use crate::widgets::charts::timeline::format_seconds;
use oomlens_core::evaluation::compare::{Change, Comparison, Field, First, Value};
use oomlens_core::simulate::mechanism_message;

/// The catalogue key of a compared field's name.
pub fn field_key(f: Field) -> &'static str {
    match f {
        Field::Capacity => "cmp.capacity",
        Field::Allocatable => "cmp.allocatable",
        Field::HardThreshold => "cmp.hard_threshold",
        Field::KubepodsLimit => "cmp.kubepods",
        Field::SystemUsage => "cmp.system_usage",
        Field::Qos => "cmp.qos",
        Field::Priority => "cmp.priority",
        Field::EvictionRank => "cmp.eviction_rank",
        Field::Request => "cmp.request",
        Field::Limit => "cmp.limit",
        Field::Usage => "cmp.usage",
        Field::OomScoreAdj => "cmp.oom_score_adj",
        Field::MemoryHigh => "cmp.memory_high",
        Field::MemoryMin => "cmp.memory_min",
        Field::KillRank => "cmp.kill_rank",
    }
}

/// A compared value as text: sizes in binary units, "none" for an absent one.
pub fn value_text(v: &Value, lang: Lang) -> String {
    match v {
        Value::Bytes(b) => human(Some(*b)),
        Value::Int(n) => n.to_string(),
        Value::Text(t) => t.clone(),
        Value::Absent => lookup(lang, "cmp.none").to_string(),
    }
}

/// By how much a number changed: a signed size or integer (`+1.50 GiB`, `−2`), and for a place
/// in an order how many places earlier or later. `None` when either side is not a number.
pub fn difference(field: Field, before: &Value, after: &Value, lang: Lang) -> Option<String> {
    let sign = |d: i64| if d < 0 { '−' } else { '+' };
    match (before, after) {
        (Value::Bytes(a), Value::Bytes(b)) => {
            let d = b.saturating_sub(*a);
            Some(format!("{}{}", sign(d), human(Some(d.saturating_abs()))))
        }
        (Value::Int(a), Value::Int(b)) => {
            let d = b.saturating_sub(*a);
            if matches!(field, Field::EvictionRank | Field::KillRank) {
                let key = if d < 0 { "cmp.earlier" } else { "cmp.later" };
                Some(lookup(lang, key).replace("{n}", &d.saturating_abs().to_string()))
            } else {
                Some(format!("{}{}", sign(d), d.saturating_abs()))
            }
        }
        _ => None,
    }
}

/// What fires first, in a few words: the mechanism, when, and whom.
pub fn first_text(f: &Option<First>, lang: Lang) -> String {
    match f {
        None => lookup(lang, "cmp.nothing_fires").to_string(),
        Some(f) => {
            let m = messages::render(lang, &mechanism_message(f.mechanism));
            let who = f.victim.as_deref().unwrap_or_default();
            format!("{m} · {} · {who}", format_seconds(f.time_seconds))
        }
    }
}

/// One line per change, in order: numbers, then pods added and gone, then what fires first.
/// `keep` decides which changes are listed (training mode keeps back what would give an
/// unanswered question away); `with_first` whether the first mechanism's change is.
pub fn lines(
    cmp: &Comparison,
    lang: Lang,
    keep: impl Fn(&Change) -> bool,
    with_first: bool,
) -> Vec<String> {
    let t = |k: &'static str| lookup(lang, k).to_string();
    let mut out: Vec<String> = cmp
        .changes
        .iter()
        .filter(|c| keep(c))
        .map(|c| {
            let by = difference(c.field, &c.before, &c.after, lang)
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            format!(
                "{} · {}: {} → {}{by}",
                c.id,
                t(field_key(c.field)),
                value_text(&c.before, lang),
                value_text(&c.after, lang)
            )
        })
        .collect();
    if !cmp.added.is_empty() {
        out.push(format!("{}: {}", t("cmp.added"), cmp.added.join(", ")));
    }
    if !cmp.removed.is_empty() {
        out.push(format!("{}: {}", t("cmp.removed"), cmp.removed.join(", ")));
    }
    if let Some((a, b)) = cmp.first.as_ref().filter(|_| with_first) {
        out.push(format!(
            "{}: {} → {}",
            t("cmp.first"),
            first_text(a, lang),
            first_text(b, lang)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_signed_and_ranks_move() {
        let en = Lang::En;
        assert_eq!(
            difference(
                Field::Usage,
                &Value::Bytes(1 << 30),
                &Value::Bytes(3 << 29),
                en
            )
            .as_deref(),
            Some(format!("+{}", human(Some(1 << 29))).as_str())
        );
        assert_eq!(
            difference(Field::OomScoreAdj, &Value::Int(988), &Value::Int(-997), en).as_deref(),
            Some("−1985")
        );
        assert_eq!(
            difference(Field::EvictionRank, &Value::Int(3), &Value::Int(1), en).as_deref(),
            Some("2 earlier")
        );
        assert_eq!(
            difference(Field::KillRank, &Value::Int(1), &Value::Int(2), Lang::Zh).as_deref(),
            Some("推后 1 位")
        );
        assert_eq!(
            difference(Field::Limit, &Value::Absent, &Value::Bytes(1), en),
            None
        );
    }
}
