//! The verdicts, first on the page after a paste: one banner per event (kernel OOM kill or kubelet
//! eviction) with the mechanism, who was killed (by pod and container name when a pasted
//! `kubectl describe pod` names them), the QoS class and the one thing to do first — the core's
//! most severe advice about that event's lines. The details follow further down the page.

use super::analysis::{Analysis, EvictionView, FindingView, OomEventView, RepeatsView};
use super::text::{advice_pieces, finding_pieces, severity_rank};
use super::verdict::{mechanism_key, qos_text, verdict_sentence};
use crate::i18n::{use_i18n, Lang};
use crate::widgets::message::pieces_view;
use leptos::prelude::*;
use std::sync::Arc;

/// Banners shown (the rest are summarised with a count; every event keeps its card below).
const MAX_BANNERS: usize = 3;

/// Every distinct advice about `lines`, most severe first (the ranked "next steps").
pub fn next_steps<'a>(findings: &'a [FindingView], lines: &[usize]) -> Vec<&'a FindingView> {
    let mut out: Vec<&FindingView> = findings
        .iter()
        .filter(|f| f.advice.is_some() && f.lines.iter().any(|l| lines.contains(l)))
        .collect();
    oomlens_core::base::sort::sort_by_key(&mut out, |f| severity_rank(&f.severity));
    let mut seen = Vec::new();
    out.retain(|f| {
        let id = f.advice.as_ref().map(|a| a.id);
        let new = !seen.contains(&id);
        seen.push(id);
        new
    });
    out
}

/// Commands that find what the kernel report names only by id: the pod by its UID, the
/// container by its id (on the node), the node's kernel log around the kill.
pub fn commands(e: &OomEventView) -> Vec<String> {
    let mut out = Vec::new();
    if e.named.is_none() {
        if let Some(uid) = &e.pod_uid {
            out.push(format!(
                "kubectl get pods -A -o custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,UID:.metadata.uid | grep {uid}"
            ));
        }
        if let Some(id) = &e.container_id {
            out.push(format!("crictl ps -a --id {}", id.get(..12).unwrap_or(id)));
        }
    }
    if e.victim.is_none() || e.tasks.is_empty() {
        out.push("journalctl -k --no-pager | grep -B5 -A40 'invoked oom-killer'".to_string());
    }
    out
}

/// Who was killed, as the headline names it: `java (pid 28438) in shop/web/app`.
fn who(lang: Lang, e: &OomEventView) -> String {
    let victim = e.victim.as_ref().map(|v| {
        crate::i18n::format(
            crate::i18n::lookup(lang, "inc.banner.victim"),
            &[("comm", v.comm.clone()), ("pid", v.pid.to_string())],
        )
    });
    let place = e.named.as_ref().map(|n| n.key());
    match (victim, place) {
        (Some(v), Some(p)) => crate::i18n::format(
            crate::i18n::lookup(lang, "inc.banner.in"),
            &[("victim", v), ("place", p)],
        ),
        (Some(v), None) => v,
        (None, Some(p)) => p,
        (None, None) => crate::i18n::lookup(lang, "inc.banner.unknown_victim").to_string(),
    }
}

#[component]
fn EventBanner(analysis: Arc<Analysis>, event: OomEventView, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let mech = mechanism_key(&event);
    let mut lines = event.lines.clone();
    lines.push(event.line);
    let steps: Vec<FindingView> = next_steps(&analysis.explanation.findings, &lines)
        .into_iter()
        .cloned()
        .collect();
    let cmds = commands(&event);
    let e2 = event.clone();
    let e3 = event.clone();
    let qos = event.qos_class.clone();
    let line = event.line;
    let repeats = event.repeats.clone();
    view! {
        <article class="verdict-banner" data-mechanism=mech data-index=index data-testid="verdict">
            <h3 class="verdict-title">
                <span class=format!("mech {}", mech.replace('.', "-"))>{move || i18n.t(mech)}</span>
                " — "
                <span class="who">{move || who(i18n.lang.get(), &e2)}</span>
            </h3>
            <p class="sentence">{move || verdict_sentence(i18n.lang.get(), &e3)}</p>
            {repeats.map(|r| view! {
                <p class="repeats" data-testid="verdict-repeats">{move || repeats_text(i18n.lang.get(), line, &r)}</p>
            })}
            <p class="facts-line muted">
                {move || i18n.tf("inc.banner.qos", &[("qos", qos_text(i18n.lang.get(), qos.as_deref()))])}
                " · "
                <button type="button" class="link" on:click=move |_| { crate::widgets::dom::focus_id(&format!("event-{index}")); }>
                    {move || i18n.tf("inc.banner.details", &[("line", line.to_string())])}
                </button>
            </p>
            {(!steps.is_empty() || !cmds.is_empty()).then(|| view! {
                <div class="next-steps">
                    <h4>{move || i18n.t("inc.banner.next")}</h4>
                    <ol data-testid="next-steps">
                        {steps.into_iter().enumerate().map(|(i, f)| view! {
                            <li class:first-step=i == 0 data-testid=if i == 0 { "first-step" } else { "step" }>
                                {move || pieces_view(advice_pieces(i18n.lang.get(), &f), &i18n.t("unit.bytes"))}
                            </li>
                        }).collect_view()}
                        {cmds.into_iter().map(|c| view! {
                            <li data-testid="step-command">
                                {move || i18n.t("inc.banner.run")}" "<code class="cmd">{c.clone()}</code>
                            </li>
                        }).collect_view()}
                    </ol>
                </div>
            })}
        </article>
    }
}

#[component]
fn EvictionBanner(analysis: Arc<Analysis>, eviction: EvictionView, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let lines: Vec<usize> = (eviction.line..=eviction.last_line).collect();
    let step = next_steps(&analysis.explanation.findings, &lines)
        .first()
        .map(|f| (*f).clone());
    let who = eviction_who(&eviction);
    let resource = eviction.resource.clone();
    let threshold = eviction.threshold.clone().map(|p| p.text);
    let available = eviction.available.clone().map(|p| p.text);
    let line = eviction.line;
    view! {
        <article class="verdict-banner" data-mechanism="eviction" data-index=index data-testid="verdict">
            <h3 class="verdict-title">
                <span class="mech inc-mech-eviction">{move || i18n.t("inc.mech.eviction")}</span>
                {who.is_some().then_some(" — ")}
                <span class="who">{who.clone().unwrap_or_default()}</span>
            </h3>
            <p class="sentence">{move || match (&threshold, &available) {
                (Some(t), Some(a)) => i18n.tf("inc.evict.sentence", &[("resource", resource.clone()), ("threshold", t.clone()), ("available", a.clone())]),
                _ => i18n.tf("inc.evict.sentence_plain", &[("resource", resource.clone())]),
            }}</p>
            <p class="facts-line muted">
                <button type="button" class="link" on:click=move |_| { crate::widgets::dom::focus_id(&format!("eviction-{index}")); }>
                    {move || i18n.tf("inc.banner.details", &[("line", line.to_string())])}
                </button>
            </p>
            {step.map(|f| view! { <FirstStep finding=f/> })}
        </article>
    }
}

/// "Do first:" and the advice of `finding`.
#[component]
fn FirstStep(finding: FindingView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="first-step" data-testid="first-step">
            <strong>{move || i18n.t("inc.banner.first")}</strong>" "
            {move || pieces_view(advice_pieces(i18n.lang.get(), &finding), &i18n.t("unit.bytes"))}
        </p>
    }
}

/// A finding stated as a verdict (an eviction seen in `kubectl get events`, or the most severe
/// finding of a paste without events).
#[component]
fn FindingBanner(finding: FindingView) -> impl IntoView {
    let i18n = use_i18n();
    let step = finding.advice.is_some().then(|| finding.clone());
    let mech = if finding.message.id == "events.evicted" {
        "eviction"
    } else {
        "finding"
    };
    view! {
        <article class="verdict-banner" data-mechanism=mech data-testid="verdict">
            <h3 class="verdict-title">{move || pieces_view(finding_pieces(i18n.lang.get(), &finding), &i18n.t("unit.bytes"))}</h3>
            {step.map(|f| view! { <FirstStep finding=f/> })}
        </article>
    }
}

/// The verdicts section (first after the paste area). Without any event it states the most
/// severe finding instead, so the answer is always first.
#[component]
pub fn Verdicts(analysis: Arc<Analysis>) -> impl IntoView {
    let i18n = use_i18n();
    let ex = &analysis.explanation;
    let events: Vec<_> = ex
        .oom_events
        .iter()
        .take(MAX_BANNERS)
        .cloned()
        .enumerate()
        .collect();
    let evictions: Vec<_> = ex
        .evictions
        .iter()
        .take(MAX_BANNERS.saturating_sub(events.len()))
        .cloned()
        .enumerate()
        .collect();
    let shown = events.len() + evictions.len();
    let total = analysis.events_total.max(ex.oom_events.len()) + ex.evictions.len();
    // Evictions seen only as `kubectl get events` rows are verdicts too; with no event at all,
    // the most severe finding is.
    let extra: Vec<FindingView> = finding_verdicts(&analysis, shown)
        .into_iter()
        .cloned()
        .collect();
    let a1 = analysis.clone();
    let a2 = analysis.clone();
    view! {
        <section class="verdicts" id="verdicts" tabindex="-1" aria-labelledby="verdicts-title" data-testid="verdicts">
            <h2 id="verdicts-title">{move || i18n.t("inc.banner.title")}</h2>
            {events.into_iter().map(|(i, e)| view! { <EventBanner analysis=a1.clone() event=e index=i/> }).collect_view()}
            {evictions.into_iter().map(|(i, e)| view! { <EvictionBanner analysis=a2.clone() eviction=e index=i/> }).collect_view()}
            {(total > shown && shown > 0).then(|| view! {
                <p class="more muted">{move || i18n.tf("inc.banner.more", &[("n", (total - shown).to_string())])}</p>
            })}
            {extra.into_iter().map(|f| view! { <FindingBanner finding=f/> }).collect_view()}
        </section>
    }
}

/// "Repeated 100000 times, lines 1–100000, from … to …" for a group of kills.
pub fn repeats_text(lang: Lang, line: usize, r: &RepeatsView) -> String {
    let mut s = crate::i18n::format(
        crate::i18n::lookup(lang, "inc.repeats.value"),
        &[
            ("count", r.count.to_string()),
            ("first", line.to_string()),
            ("last", r.last_line.to_string()),
        ],
    );
    if let (Some(a), Some(b)) = (&r.first_time, &r.last_time) {
        s.push_str(&crate::i18n::format(
            crate::i18n::lookup(lang, "inc.repeats.times"),
            &[("first", a.clone()), ("last", b.clone())],
        ));
    }
    s
}

/// The pod an eviction message is about: the described pod, else the first container it names.
fn eviction_who(e: &EvictionView) -> Option<String> {
    e.named
        .as_ref()
        .map(|n| n.key())
        .or_else(|| e.offenders.first().map(|o| o.name.clone()))
}

/// Findings stated as verdicts after `shown` event banners: evictions seen only as
/// `kubectl get events` rows; with no banner at all, the most severe finding.
fn finding_verdicts(analysis: &Analysis, shown: usize) -> Vec<&FindingView> {
    let findings = &analysis.explanation.findings;
    let mut out: Vec<&FindingView> = findings
        .iter()
        .filter(|f| f.message.id == "events.evicted")
        .take(MAX_BANNERS.saturating_sub(shown))
        .collect();
    if shown == 0 && out.is_empty() {
        out.extend(findings.iter().min_by_key(|f| severity_rank(&f.severity)));
    }
    out
}

/// The verdict headlines as one plain sentence per event, for the live region.
pub fn announcement(lang: Lang, analysis: &Analysis) -> String {
    let ex = &analysis.explanation;
    let mut parts: Vec<String> = ex
        .oom_events
        .iter()
        .take(MAX_BANNERS)
        .map(|e| {
            format!(
                "{}: {}",
                crate::i18n::lookup(lang, mechanism_key(e)),
                who(lang, e)
            )
        })
        .collect();
    parts.extend(ex.evictions.iter().take(MAX_BANNERS).map(|e| {
        format!(
            "{} {}",
            crate::i18n::lookup(lang, "inc.mech.eviction"),
            eviction_who(e).unwrap_or_default()
        )
    }));
    if parts.is_empty() {
        // No event: the most severe finding is the verdict (as on the page).
        return ex
            .findings
            .iter()
            .min_by_key(|f| severity_rank(&f.severity))
            .map(|f| crate::i18n::messages::to_text(&finding_pieces(lang, f)))
            .unwrap_or_else(|| crate::i18n::lookup(lang, "inc.banner.none").to_string());
    }
    parts.join(". ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use oomlens_core::base::message::Message;

    fn finding(sev: &str, lines: Vec<usize>, advice: bool) -> FindingView {
        FindingView {
            severity: sev.into(),
            message: Message::plain("advice.oom.unknown"),
            advice: advice.then(|| Message::plain("advice.oom.node")),
            lines,
        }
    }

    #[test]
    fn next_steps_rank_by_severity_without_repeating_an_advice() {
        let fs = vec![
            finding("info", vec![3], true),
            finding("critical", vec![4], true),
            finding("warning", vec![5], false),
        ];
        let steps = next_steps(&fs, &[3, 4, 5]);
        // Both advise the same thing (same advice id): one step, the critical one.
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].severity, "critical");
    }

    #[test]
    fn commands_find_what_the_report_names_only_by_id() {
        let e = OomEventView {
            pod_uid: Some("0330b2c1-a15b-4cdd-b5e5-72d4a90bee82".into()),
            container_id: Some(
                "b27201334a41cd0749d053b18378d7ea65617b8e26277197ea25c974da1a5a8a".into(),
            ),
            ..Default::default()
        };
        let c = commands(&e);
        assert!(
            c[0].ends_with("| grep 0330b2c1-a15b-4cdd-b5e5-72d4a90bee82"),
            "{c:?}"
        );
        assert_eq!(c[1], "crictl ps -a --id b27201334a41");
        // No victim in the paste: fetch the whole report.
        assert!(c[2].starts_with("journalctl -k"));
    }

    #[test]
    fn the_first_step_is_the_most_severe_advice_about_the_event() {
        let fs = vec![
            finding("info", vec![3], true),
            finding("critical", vec![9], true),
            finding("warning", vec![4], true),
            finding("critical", vec![5], false),
        ];
        // Line 9 is another event's: the warning about line 4 wins over the info.
        assert_eq!(
            next_steps(&fs, &[3, 4, 5])
                .first()
                .map(|f| f.severity.as_str()),
            Some("warning")
        );
        assert!(next_steps(&fs, &[100]).is_empty());
    }
}
