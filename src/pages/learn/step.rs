//! One step of a lesson: its story, the few numbers that matter (what changed since the previous
//! step marked), the question with its reveal locked until an answer is chosen, and the model's
//! answer with its reasons and derivations.

use super::{pick, rich, LearnState};
use crate::i18n::{messages, use_i18n, Lang};
use crate::widgets::bytes::human;
use crate::widgets::message::pieces_view;
use leptos::prelude::*;
use oomlens_core::evaluate;
use oomlens_core::evaluation::compare::{compare, Comparison, Field};
use oomlens_core::evaluation::Evaluation;
use oomlens_core::lesson::{answer, choices, Ask, AskKind, Lesson, Level, Reveal};

/// The catalogue key of a level's name.
pub fn level_key(level: Level) -> &'static str {
    match level {
        Level::Beginner => "learn.level.beginner",
        Level::Intermediate => "learn.level.intermediate",
        Level::Advanced => "learn.level.advanced",
    }
}

/// A step evaluated at the release it is shown for.
pub(super) fn evaluated(lesson: &Lesson, step: usize) -> Option<Result<Evaluation, String>> {
    let sc = lesson.shown_scenario(step)?;
    Some(evaluate(&sc).map_err(|e| e.to_string()))
}

/// The cells a step shows for the node: label key, compared field, text.
fn node_cells(ev: &Evaluation, none: &str) -> Vec<(&'static str, Field, String)> {
    let hard = ev
        .node
        .hard_memory_available_bytes()
        .map(|b| human(Some(b)))
        .unwrap_or_else(|| none.to_string());
    vec![
        (
            "learn.node.capacity",
            Field::Capacity,
            human(Some(ev.node.capacity_bytes)),
        ),
        (
            "learn.node.allocatable",
            Field::Allocatable,
            human(Some(ev.node.allocatable_bytes)),
        ),
        ("learn.node.threshold", Field::HardThreshold, hard),
        (
            "learn.node.kubepods",
            Field::KubepodsLimit,
            ev.node
                .kubepods_limit_bytes
                .map_or_else(|| none.to_string(), |b| human(Some(b))),
        ),
        (
            "learn.node.system_usage",
            Field::SystemUsage,
            human(Some(ev.system_usage_bytes())),
        ),
    ]
}

/// One container row: its id, its pod's id, and its cells (the compared field, `None` for the
/// growth the lesson gives as input, and the text).
struct Row {
    id: String,
    pod: String,
    cells: Vec<(Option<Field>, String)>,
}

fn container_rows(lesson: &Lesson, step: usize, ev: &Evaluation, words: &Words) -> Vec<Row> {
    let growth = lesson
        .shown_scenario(step)
        .map(|s| s.growth)
        .unwrap_or_default();
    let mut out = Vec::new();
    for p in &ev.pods {
        let pod = format!("{}/{}", p.namespace, p.name);
        for (i, c) in p.containers.as_slice().iter().enumerate() {
            let id = format!("{pod}/{}", c.name);
            let g = growth
                .get(&id)
                .or_else(|| growth.get(&pod))
                .map(|q| human(Some(q.value())))
                .unwrap_or_else(|| "0".to_string());
            let rank = if i == 0 && !p.schedulable {
                // Never admitted: not ranked (and not "never evicted" as a critical pod is).
                "Pending".to_string()
            } else if i == 0 {
                p.eviction_rank
                    .map_or_else(|| words.never.clone(), |r| r.to_string())
            } else {
                String::new()
            };
            out.push(Row {
                id,
                pod: pod.clone(),
                cells: vec![
                    (Some(Field::Qos), p.qos_class.to_string()),
                    (
                        Some(Field::Priority),
                        if i == 0 {
                            p.priority.to_string()
                        } else {
                            String::new()
                        },
                    ),
                    (Some(Field::Request), human(Some(c.memory_request_bytes))),
                    (
                        Some(Field::Limit),
                        c.memory_limit_bytes
                            .map_or_else(|| words.unlimited.clone(), |b| human(Some(b))),
                    ),
                    (
                        Some(Field::Usage),
                        c.usage_bytes.map(|b| human(Some(b))).unwrap_or_default(),
                    ),
                    (None, g),
                    (Some(Field::OomScoreAdj), c.oom_score_adj.to_string()),
                    (Some(Field::EvictionRank), rank),
                ],
            });
        }
    }
    out
}

/// Words the cells use, in the page's language.
struct Words {
    none: String,
    never: String,
    unlimited: String,
}

/// How a choice reads: mechanisms by name, `none`/`never` translated, the rest as written.
pub(super) fn choice_label(
    kind: &AskKind,
    choice: &str,
    t: &dyn Fn(&'static str) -> String,
) -> String {
    match (kind, choice) {
        (AskKind::FirstMechanism, "limit") => t("learn.family.limit"),
        (AskKind::FirstMechanism, "eviction") => t("learn.family.eviction"),
        (AskKind::FirstMechanism, "kernel") => t("learn.family.kernel"),
        (AskKind::FirstMechanism, "none") => t("learn.family.none"),
        (AskKind::TrueFalse { .. }, "true") => t("learn.true"),
        (AskKind::TrueFalse { .. }, "false") => t("learn.false"),
        (AskKind::Schedules { .. }, "scheduled") => t("learn.scheduled"),
        (AskKind::Schedules { .. }, "pending") => t("learn.pending"),
        (AskKind::OomKillScope, "container") => t("learn.scope.container"),
        (AskKind::OomKillScope, "process") => t("learn.scope.process"),
        (_, "never") => t("learn.never"),
        (_, "none") => t("learn.none"),
        _ => choice.to_string(),
    }
}

/// The model's answer as the learner reads it: the matching choice's label (a byte answer as
/// the author wrote it, with its size).
pub(super) fn answer_label(
    kind: &AskKind,
    r: &Reveal,
    offered: &[String],
    t: &dyn Fn(&'static str) -> String,
) -> String {
    match offered.iter().find(|c| r.matches(c)) {
        Some(c) => choice_label(kind, c, t),
        None => match r.bytes {
            Some(b) => human(Some(b)),
            None => choice_label(kind, &r.value, t),
        },
    }
}

/// The pods that later steps' "who is hit first" questions answer (step index, `ns/pod`): until
/// those are answered, nothing this step shows may name them.
fn later_victims(lesson: &Lesson, step: usize) -> Vec<(usize, String)> {
    lesson
        .steps
        .iter()
        .enumerate()
        .skip(step + 1)
        .filter_map(|(i, s)| {
            let a = s.ask.as_ref()?;
            let kind = match &a.kind {
                AskKind::TrueFalse { claim, .. } => claim.as_ref(),
                k => k,
            };
            if !matches!(
                kind,
                AskKind::FirstVictim | AskKind::FirstEvicted | AskKind::NodeOomFirst
            ) {
                return None;
            }
            let ev = evaluated(lesson, i)?.ok()?;
            let value = answer(kind, &ev)?.value;
            let pod: Vec<&str> = value.splitn(3, '/').take(2).collect();
            Some((i, pod.join("/")))
        })
        .collect()
}

/// Whether `text` names a pod a later, still unanswered question asks for.
fn names_later(text: &str, later: &[(usize, String)], open: &dyn Fn(usize) -> bool) -> bool {
    later
        .iter()
        .any(|(i, pod)| !open(*i) && text.contains(pod.as_str()))
}

/// A lesson at one step.
#[component]
pub fn LessonView(lesson: &'static Lesson, step: usize) -> impl IntoView {
    let i18n = use_i18n();
    let st = expect_context::<LearnState>();
    let n = lesson.steps.len();
    let step = step.min(n.saturating_sub(1));
    let Some(s) = lesson.steps.get(step) else {
        return view! { <p>{move || i18n.tf("learn.unknown", &[("id", lesson.id.clone())])}</p> }
            .into_any();
    };
    let release = lesson
        .shown_scenario(step)
        .and_then(|sc| sc.kubelet_version)
        .unwrap_or_default();
    let now = evaluated(lesson, step);
    let before = step
        .checked_sub(1)
        .and_then(|p| evaluated(lesson, p))
        .and_then(Result::ok);
    let key = LearnState::key(&lesson.id, step);
    let title = s.title.clone();
    let text = s.text.clone();
    let body = match now {
        None => ().into_any(),
        Some(Err(e)) => view! { <p class="notice" role="alert">{move || i18n.tf("learn.error", &[("error", e.clone())])}</p> }.into_any(),
        Some(Ok(ev)) => {
            let ev = std::sync::Arc::new(ev);
            // Evaluates the later asking steps once for the question, the outcome and the chart.
            let later = std::sync::Arc::new(later_victims(lesson, step));
            let numbers = {
                let (ev, before) = (ev.clone(), before.clone());
                move || {
                    let mask = unanswered_from(lesson, step, |i| st.is_open(&lesson.id, i));
                    numbers_view(
                        lesson,
                        step,
                        &ev,
                        before.as_ref(),
                        i18n.lang.get(),
                        st.dark.get(),
                        &mask,
                    )
                }
            };
            let ask = s.ask.clone().map(|a| {
                let (ev, key, later) = (ev.clone(), key.clone(), later.clone());
                view! { <Question lesson=lesson step=step ask=a ev=ev key=key later=later/> }
            });
            let outcome = {
                let ev = ev.clone();
                let key = key.clone();
                let asks = s.ask.is_some();
                // A "what fires first" question's reveal already says it.
                let repeats = s
                    .ask
                    .as_ref()
                    .is_some_and(|a| a.kind == AskKind::FirstMechanism);
                let later = later.clone();
                let outcome_text = ev.timeline.outcome_message.english();
                move || {
                    let open = |i: usize| st.is_open(&lesson.id, i);
                    let shown = !repeats
                        && !names_later(&outcome_text, &later, &open)
                        && (!asks
                            || st.answers.with(|a| a.contains_key(&key))
                            || st.revealed.with(|r| r.contains(&key)));
                    shown.then(|| {
                        let lang = i18n.lang.get();
                        let pieces = messages::pieces(lang, &ev.timeline.outcome_message);
                        view! {
                            <p class="learn-outcome"><strong>{i18n.t("learn.outcome")}{super::colon(lang)}</strong>{pieces_view(pieces, &i18n.t("unit.bytes"))}</p>
                        }
                    })
                }
            };
            let chart = {
                let (ev, key) = (ev.clone(), key.clone());
                let grows = lesson
                    .shown_scenario(step)
                    .is_some_and(|sc| !sc.growth.is_empty());
                let spoils = s.ask.as_ref().is_some_and(|a| first_gives_away(&a.kind));
                let timeline = std::sync::Arc::new(ev.timeline.clone());
                let later = later.clone();
                let victims: String = ev
                    .timeline
                    .steps
                    .iter()
                    .filter_map(|s| s.victim.as_deref())
                    .collect::<Vec<_>>()
                    .join(" ");
                move || {
                    let is_open = |i: usize| st.is_open(&lesson.id, i);
                    let open = !names_later(&victims, &later, &is_open)
                        && (!spoils
                            || st.answers.with(|a| a.contains_key(&key))
                            || st.revealed.with(|r| r.contains(&key)));
                    (grows && open).then(|| {
                        view! { <super::timeline::TimelinePlayer timeline=timeline.clone()/> }
                    })
                }
            };
            let try_href = lesson
                .shown_scenario(step)
                .map(|sc| crate::share::calculator_link(&sc))
                .unwrap_or_default();
            view! {
                {numbers}
                {ask}
                {outcome}
                {chart}
                <p class="learn-try no-print"><a href=try_href target="_blank" rel="noopener">{move || i18n.t("learn.try")}</a></p>
            }
            .into_any()
        }
    };
    let last = step + 1 == n;
    let score = last.then(|| {
        let id = lesson.id.clone();
        let last_asks = s.ask.is_some();
        move || {
            if last_asks && !st.is_open(&id, step) {
                return None;
            }
            let (mut asked, mut right, mut chosen_any) = (0, 0, false);
            for (i, s) in lesson.steps.iter().enumerate() {
                let Some(a) = &s.ask else { continue };
                asked += 1;
                let chosen = st.answers.with(|m| m.get(&LearnState::key(&id, i)).cloned());
                let model = evaluated(lesson, i)
                    .and_then(Result::ok)
                    .and_then(|ev| answer(&a.kind, &ev));
                chosen_any |= chosen.is_some();
                if let (Some(c), Some(r)) = (chosen, model) {
                    right += usize::from(r.matches(&c));
                }
            }
            // A class that had every answer revealed for the room chose none: no score to give.
            let done = if chosen_any {
                i18n.tf("learn.done", &[("right", right.to_string()), ("asked", asked.to_string())])
            } else {
                i18n.tf("learn.done_room", &[("asked", asked.to_string())])
            };
            Some(view! {
                <p class="learn-done" role="status">{done}</p>
                <h2>{i18n.t("learn.sources")}</h2>
                <ul class="learn-sources">
                    {lesson.sources.iter().map(|u| view! { <li><a href=u.clone() rel="noopener noreferrer" target="_blank">{u.clone()}</a></li> }).collect_view()}
                </ul>
            })
        }
    });
    let lesson_title = lesson.title.clone();
    view! {
        <article class="learn-lesson" data-step=step + 1>
            <nav class="learn-bar no-print" aria-label=move || i18n.t("learn.title")>
                <a href="#/learn">{move || i18n.t("learn.all")}</a>
                <a href=format!("#{}", super::route::Route::handout(&lesson.id).fragment())>{move || i18n.t("learn.handout")}</a>
                <span class="learn-pos">{move || i18n.tf("learn.step_of", &[("i", (step + 1).to_string()), ("n", n.to_string())])}</span>
                <span class="muted">{move || i18n.tf("learn.release", &[("release", release.clone())])}</span>
                <button type="button" data-testid="presenter" aria-pressed=move || st.presenter.get().to_string() on:click=move |_| st.presenter.update(|p| *p = !*p)>
                    {move || if st.presenter.get() { i18n.t("learn.presenter_off") } else { i18n.t("learn.presenter_on") }}
                </button>
            </nav>
            <p class="learn-lesson-title muted">{move || pick(&lesson_title, i18n.lang.get())}</p>
            <h1 tabindex="-1">{move || pick(&title, i18n.lang.get())}</h1>
            <p class="learn-text">{move || rich(pick(&text, i18n.lang.get()))}</p>
            {body}
            {score}
            <nav class="learn-steps no-print">
                <button type="button" disabled=step == 0 on:click=move |_| st.go(lesson, step.saturating_sub(1))>{move || format!("← {}", i18n.t("learn.prev"))}</button>
                <button type="button" class="primary" disabled=last on:click=move |_| st.go(lesson, step + 1)>{move || format!("{} →", i18n.t("learn.next"))}</button>
            </nav>
            <p class="muted learn-keys no-print">{move || i18n.t("learn.keys")}</p>
        </article>
    }
    .into_any()
}

/// Whether a question, still unanswered, would be given away by showing `field` of `id` (`node`,
/// `ns/pod` or `ns/pod/container`): those cells read "?" and those changes are not listed until
/// the reveal.
fn gives_away(kind: &AskKind, field: Field, id: &str) -> bool {
    let pod_of = crate::widgets::charts::kill_order::pod_of_container_key;
    match kind {
        AskKind::OomScoreAdj { target } => field == Field::OomScoreAdj && id == target,
        AskKind::NodeOomFirst => matches!(field, Field::OomScoreAdj | Field::KillRank),
        // A container's oom_score_adj tells its pod's class.
        AskKind::Qos { target } => {
            matches!(field, Field::Qos | Field::OomScoreAdj) && pod_of(id) == target
        }
        AskKind::FirstEvicted | AskKind::EvictionRank { .. } => field == Field::EvictionRank,
        // The victim of an eviction is rank 1; of a kernel kill, first in the kill order.
        AskKind::FirstVictim => matches!(field, Field::EvictionRank | Field::KillRank),
        // Allocatable is the kubepods limit less the hard threshold.
        AskKind::Allocatable => matches!(field, Field::Allocatable | Field::KubepodsLimit),
        AskKind::MemoryHigh { target } => field == Field::MemoryHigh && id == target,
        AskKind::MemoryMin { target } => field == Field::MemoryMin && id == target,
        AskKind::FirstMechanism | AskKind::Schedules { .. } | AskKind::OomKillScope => false,
        AskKind::TrueFalse { claim, .. } => gives_away(claim, field, id),
    }
}

/// Whether a question, still unanswered, would be given away by what now fires first (the
/// mechanism, and whom it hits).
fn first_gives_away(kind: &AskKind) -> bool {
    match kind {
        AskKind::TrueFalse { claim, .. } => first_gives_away(claim),
        AskKind::OomScoreAdj { .. }
        | AskKind::Qos { .. }
        | AskKind::Allocatable
        | AskKind::MemoryHigh { .. }
        | AskKind::MemoryMin { .. }
        | AskKind::Schedules { .. }
        | AskKind::OomKillScope => false,
        AskKind::FirstEvicted
        | AskKind::FirstMechanism
        | AskKind::FirstVictim
        | AskKind::NodeOomFirst
        | AskKind::EvictionRank { .. } => true,
    }
}

/// The questions a step must not give away: its own and every later step's, while unanswered
/// (a later step's answer must not show in an earlier step's numbers either).
pub(super) fn unanswered_from(
    lesson: &Lesson,
    step: usize,
    is_open: impl Fn(usize) -> bool,
) -> Vec<AskKind> {
    lesson
        .steps
        .iter()
        .enumerate()
        .skip(step)
        .filter(|(i, _)| !is_open(*i))
        .filter_map(|(_, s)| s.ask.as_ref().map(|a| a.kind.clone()))
        .collect()
}

/// "What changed since the previous step", less what would give an unanswered question away.
fn changes_view(cmp: &Comparison, lang: Lang, mask: &[AskKind]) -> impl IntoView {
    let items = crate::widgets::compare::lines(
        cmp,
        lang,
        |c| !mask.iter().any(|k| gives_away(k, c.field, &c.id)),
        !mask.iter().any(first_gives_away),
    );
    (!items.is_empty()).then(|| {
        view! {
            <details class="learn-changes" open=true>
                <summary>{crate::i18n::lookup(lang, "learn.changed_title").to_string()}</summary>
                <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            </details>
        }
    })
}

/// The node's numbers and one row per container, with what changed since the previous step
/// marked (class and a hidden word, not colour alone) and listed.
pub(super) fn numbers_view(
    lesson: &Lesson,
    step: usize,
    ev: &Evaluation,
    before: Option<&Evaluation>,
    lang: Lang,
    dark: bool,
    mask: &[AskKind],
) -> impl IntoView {
    let t = |k: &'static str| crate::i18n::lookup(lang, k).to_string();
    let words = Words {
        none: t("learn.none"),
        never: t("learn.never"),
        unlimited: t("learn.unlimited"),
    };
    let cmp = before.map(|b| compare(b, ev));
    let growth_before = before
        .and_then(|_| lesson.shown_scenario(step - 1))
        .map(|s| s.growth);
    let growth_now = lesson.shown_scenario(step).map(|s| s.growth);
    let changed_word = t("learn.changed");
    let hidden_word = t("learn.hidden");
    let hides = |f: Field, id: &str| mask.iter().any(|k| gives_away(k, f, id));
    let cell = |value: String, changed: bool| {
        let word = changed_word.clone();
        view! {
            <td class:changed=changed>
                {value}
                {changed.then(|| view! { <span class="visually-hidden">" ("{word}")"</span> })}
            </td>
        }
    };
    let node_row = node_cells(ev, &words.none)
        .into_iter()
        .map(|(label, f, v)| {
            if hides(f, "node") {
                let (h, title) = (hidden_word.clone(), hidden_word.clone());
                return view! { <tr><th scope="row">{t(label)}</th><td class="hidden-answer" title=title>"?"<span class="visually-hidden">{h}</span></td></tr> }.into_any();
            }
            let changed = cmp.as_ref().is_some_and(|c| c.changed("node", f));
            view! { <tr><th scope="row">{t(label)}</th>{cell(v, changed)}</tr> }.into_any()
        })
        .collect_view();
    let cols = [
        "learn.col.qos",
        "learn.col.priority",
        "learn.col.request",
        "learn.col.limit",
        "learn.col.usage",
        "learn.col.growth",
        "learn.col.adj",
        "learn.col.rank",
    ];
    let rows = container_rows(lesson, step, ev, &words)
        .into_iter()
        .map(|row| {
            let is_new = cmp.as_ref().is_some_and(|c| c.added.contains(&row.id));
            let growth_changed = before.is_some()
                && growth_before
                    .as_ref()
                    .and_then(|g| g.get(&row.id).or_else(|| g.get(&row.pod)))
                    != growth_now
                        .as_ref()
                        .and_then(|g| g.get(&row.id).or_else(|| g.get(&row.pod)));
            let cells = row
                .cells
                .into_iter()
                .map(|(f, v)| match f {
                    Some(f)
                        if hides(
                            f,
                            if matches!(f, Field::EvictionRank | Field::Qos | Field::Priority) {
                                &row.pod
                            } else {
                                &row.id
                            },
                        ) =>
                    {
                        let (h, title) = (hidden_word.clone(), hidden_word.clone());
                        view! { <td class="hidden-answer" title=title>"?"<span class="visually-hidden">{h}</span></td> }.into_any()
                    }
                    Some(Field::Qos) => {
                        let q = v.clone();
                        view! { <td><span class="qos-tag" data-qos=q>{v}</span></td> }
                    }
                    .into_any(),
                    Some(f) => {
                        let id = if matches!(f, Field::EvictionRank) {
                            &row.pod
                        } else {
                            &row.id
                        };
                        let changed = !is_new && cmp.as_ref().is_some_and(|c| c.changed(id, f));
                        cell(v, changed).into_any()
                    }
                    None => cell(v, !is_new && growth_changed).into_any(),
                })
                .collect_view();
            view! {
                <tr class:changed=is_new>
                    <th scope="row"><code>{slash_breaks(&row.id)}</code></th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let changes = cmp.as_ref().map(|c| changes_view(c, lang, mask));
    // The node bar, unless the question is the allocatable it marks.
    let bar = (!mask.contains(&AskKind::Allocatable)).then(|| {
        let tr = move |k: &'static str| crate::i18n::lookup(lang, k).to_string();
        let svg = crate::widgets::charts::node_memory::node_memory_chart(
            ev,
            &crate::widgets::theme::Theme::for_dark(dark),
            &tr,
        );
        view! { <div class="chart-svg learn-bar-chart" inner_html=svg></div> }
    });
    view! {
        {bar}
        <div class="learn-numbers">
            <table class="learn-node">
                <caption>{t("learn.node")}</caption>
                <tbody>{node_row}</tbody>
            </table>
            // Focusable, so a keyboard can scroll it where it is wider than the screen.
            <div class="table-scroll" tabindex="0" role="region" aria-label=format!("{} {}", t("learn.pods"), step + 1)>
                <table class="learn-pods">
                    <caption>{t("learn.pods")}</caption>
                    <thead><tr><th scope="col">{t("learn.col.container")}</th>{cols.iter().map(|c| view! { <th scope="col">{t(c)}</th> }).collect_view()}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
        {changes}
    }
}

/// `ns/pod/container` with a line-break opportunity after each `/`, so a long id wraps between
/// its parts rather than pushing the table's last columns out.
fn slash_breaks(id: &str) -> impl IntoView {
    let parts: Vec<String> = id.split_inclusive('/').map(str::to_string).collect();
    parts
        .into_iter()
        .map(|p| view! { {p}<wbr/> })
        .collect_view()
}

/// The question: choices, the locked reveal, then the model's answer and why.
#[component]
fn Question(
    lesson: &'static Lesson,
    step: usize,
    ask: Ask,
    ev: std::sync::Arc<Evaluation>,
    key: String,
    /// [`later_victims`] of this step.
    later: std::sync::Arc<Vec<(usize, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let st = expect_context::<LearnState>();
    let model = answer(&ask.kind, &ev);
    let offered = choices(&ask.kind, &ev, &ask.choices);
    // The reasons and derivations, as text, to hold back while they name a later answer.
    let reasons_text: String = model
        .as_ref()
        .map(|r| {
            let mut t: Vec<String> = r.reasons.iter().map(|m| m.english()).collect();
            t.extend(r.derivations.iter().map(|d| d.substituted.clone()));
            t.join("\n")
        })
        .unwrap_or_default();
    let prompt = ask.prompt.clone();
    let explain = ask.explain.clone();
    let kind = ask.kind.clone();
    let name = format!("ask-{}-{step}", lesson.id);
    let stored = {
        let key = key.clone();
        move || st.answers.with(|a| a.get(&key).cloned())
    };
    let shown = {
        let (key, stored) = (key.clone(), stored.clone());
        move || stored().is_some() || st.revealed.with(|r| r.contains(&key))
    };
    let radios = {
        let (kind, stored) = (kind.clone(), stored.clone());
        offered
            .iter()
            .map(|c| {
                let c = c.clone();
                let label = {
                    let (kind, c) = (kind.clone(), c.clone());
                    move || {
                        let lang = i18n.lang.get();
                        choice_label(&kind, &c, &|k| crate::i18n::lookup(lang, k).to_string())
                    }
                };
                let checked = {
                    let (c, stored) = (c.clone(), stored.clone());
                    move || {
                        stored().as_deref() == Some(c.as_str())
                            || st.pending.with(|p| p.as_deref() == Some(c.as_str()))
                    }
                };
                let locked = stored.clone();
                let value = c.clone();
                view! {
                    <label class="choice">
                        <input type="radio" name=name.clone() value=value prop:checked=checked disabled=move || locked().is_some()
                            on:change=move |_| st.pending.set(Some(c.clone()))/>
                        <span>{label}</span>
                    </label>
                }
            })
            .collect_view()
    };
    let reveal = {
        let (stored, shown, offered, kind) =
            (stored.clone(), shown.clone(), offered.clone(), kind.clone());
        move || {
            if !shown() {
                return view! { <p class="muted learn-locked">{i18n.t("learn.locked")}</p> }
                    .into_any();
            }
            let lang = i18n.lang.get();
            let t = |k: &'static str| crate::i18n::lookup(lang, k).to_string();
            let Some(r) = &model else {
                return view! { <p class="notice">{t("learn.no_answer")}</p> }.into_any();
            };
            let label = answer_label(&kind, r, &offered, &t);
            let (class, sentence) = match stored() {
                Some(c) if r.matches(&c) => ("right", i18n.tf("learn.right", &[("answer", label)])),
                Some(c) => {
                    let chosen = choice_label(&kind, &c, &t);
                    (
                        "wrong",
                        i18n.tf("learn.wrong", &[("answer", label), ("chosen", chosen)]),
                    )
                }
                None => ("room", i18n.tf("learn.revealed", &[("answer", label)])),
            };
            if names_later(&reasons_text, &later, &|i| st.is_open(&lesson.id, i)) {
                return view! {
                    <div class=format!("learn-answer {class}") role="status" data-testid="answer">
                        <p class="learn-verdict"><strong>{sentence}</strong></p>
                        <p class="learn-explain" data-testid="explain">{rich(pick(&explain, lang))}</p>
                        <p class="muted">{t("learn.why_later")}</p>
                    </div>
                }
                .into_any();
            }
            let bytes_word = t("unit.bytes");
            let has_why = !r.reasons.is_empty() || r.focused > 0;
            let reasons = r
                .reasons
                .iter()
                .map(|m| view! { <li>{pieces_view(messages::pieces(lang, m), &bytes_word)}</li> })
                .collect_view();
            // A number's reason is its rule, named in the page's language, and its formula with
            // the scenario's values substituted.
            let rule = |d: &oomlens_core::base::derivation::Derivation| {
                crate::i18n::registry::get(lang, &format!("rule.{}", d.rule))
                    .map(|t| format!("{t}: "))
                    .unwrap_or_default()
            };
            let formulas = r
                .derivations
                .iter()
                .take(r.focused)
                .map(|d| view! { <li>{rule(d)}<code>{d.formula.clone()}</code><br/><code>{d.substituted.clone()}</code></li> })
                .collect_view();
            let derivations = r
                .derivations
                .iter()
                .map(|d| {
                    view! {
                        <li>
                            {rule(d)}<code>{d.field.clone()}</code>": "<code>{d.formula.clone()}</code>
                            <br/><code>{d.substituted.clone()}</code>
                            <br/><span class="muted">{d.source.clone()}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class=format!("learn-answer {class}") role="status" data-testid="answer">
                    <p class="learn-verdict"><strong>{sentence}</strong></p>
                    <p class="learn-explain" data-testid="explain">{rich(pick(&explain, lang))}</p>
                    {has_why.then(|| view! {
                        <h2>{t("learn.why")}</h2>
                        <ul class="learn-reasons">{reasons}{formulas}</ul>
                    })}
                    <details class="learn-derivations">
                        <summary>{t("learn.how")}</summary>
                        <ol>{derivations}</ol>
                    </details>
                </div>
            }
            .into_any()
        }
    };
    let id = lesson.id.clone();
    let id2 = id.clone();
    let can_check = {
        let stored = stored.clone();
        move || st.pending.with(Option::is_some) && stored().is_none()
    };
    let can_reveal = move || !shown();
    view! {
        <fieldset class="learn-ask" data-testid="ask">
            <legend><span class="learn-predict">{move || format!("{}{}", i18n.t("learn.predict"), super::colon(i18n.lang.get()))}</span>{move || rich(pick(&prompt, i18n.lang.get()))}</legend>
            <div class="choices">{radios}</div>
            <div class="learn-actions no-print">
                <button type="button" class="primary" data-testid="check" disabled=move || !can_check() on:click=move |_| st.check(&id, step)>{move || i18n.t("learn.check")}</button>
                <Show when=move || st.presenter.get() && can_reveal()>
                    <button type="button" data-testid="reveal-room" on:click={let id = id2.clone(); move |_| st.reveal(&id, step)}>{move || i18n.t("learn.reveal_room")}</button>
                </Show>
            </div>
        </fieldset>
        <div class="learn-reveal">{reveal}</div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nothing an unanswered question asks for shows before its reveal, in its own step or an
    /// earlier one: for every lesson, each asked cell is hidden in every step up to its question.
    #[test]
    fn no_step_shows_an_unanswered_answer() {
        for lesson in super::super::lessons::all() {
            for (i, s) in lesson.steps.iter().enumerate() {
                let Some(ask) = &s.ask else { continue };
                for earlier in 0..=i {
                    let mask = unanswered_from(lesson, earlier, |_| false);
                    assert!(
                        mask.contains(&ask.kind),
                        "{} step {}",
                        lesson.id,
                        earlier + 1
                    );
                    let kind = match &ask.kind {
                        AskKind::TrueFalse { claim, .. } => claim.as_ref(),
                        k => k,
                    };
                    let (field, id) = match kind {
                        AskKind::OomScoreAdj { target } => (Field::OomScoreAdj, target.clone()),
                        AskKind::Qos { target } => (Field::Qos, target.clone()),
                        AskKind::Allocatable => (Field::Allocatable, "node".into()),
                        AskKind::MemoryHigh { target } => (Field::MemoryHigh, target.clone()),
                        AskKind::MemoryMin { target } => (Field::MemoryMin, target.clone()),
                        AskKind::EvictionRank { target } => (Field::EvictionRank, target.clone()),
                        // Nothing in a step's tables tells whether a pod fits or what a kill
                        // takes.
                        AskKind::Schedules { .. } | AskKind::OomKillScope => continue,
                        _ => {
                            assert!(mask.iter().any(first_gives_away));
                            continue;
                        }
                    };
                    assert!(
                        mask.iter().any(|k| gives_away(k, field, &id)),
                        "{} step {}: {id} {field:?} shows",
                        lesson.id,
                        earlier + 1
                    );
                }
                // Once answered, the step's own question hides nothing of its own.
                let open = unanswered_from(lesson, i, |j| j == i);
                assert!(
                    !open.contains(&ask.kind)
                        || lesson.steps[i + 1..]
                            .iter()
                            .any(|s| s.ask.as_ref().is_some_and(|a| a.kind == ask.kind))
                );
            }
        }
        // What can be worked out from what shows is hidden too (below).
        assert!(gives_away(
            &AskKind::Allocatable,
            Field::KubepodsLimit,
            "node"
        ));
        assert!(gives_away(
            &AskKind::Qos {
                target: "a/b".into()
            },
            Field::OomScoreAdj,
            "a/b/c"
        ));
        assert!(!gives_away(
            &AskKind::Qos {
                target: "a/b".into()
            },
            Field::OomScoreAdj,
            "a/x/c"
        ));
    }

    /// Every rule a derivation names, in every lesson step at every release and every example
    /// scenario, has a title in both languages (the reveal and the calculator's "why" panel
    /// show it before the formula).
    #[test]
    fn every_derivation_rule_has_a_title_in_both_languages() {
        use crate::i18n::{registry, Lang};
        let mut scenarios = Vec::new();
        for lesson in super::super::lessons::all() {
            for i in 0..lesson.steps.len() {
                for release in &lesson.releases {
                    let mut sc = lesson.steps[i].scenario.clone();
                    sc.kubelet_version.get_or_insert_with(|| release.clone());
                    scenarios.push(sc);
                }
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "yaml") {
                let text = std::fs::read_to_string(e.path()).unwrap();
                scenarios.push(oomlens_core::scenario::parse_scenario(&text).unwrap());
            }
        }
        let mut missing = std::collections::BTreeSet::new();
        let mut seen = 0;
        for sc in &scenarios {
            let Ok(ev) = evaluate(sc) else { continue };
            let mut all = ev.node.derivations();
            for s in &ev.timeline.steps {
                all.extend(s.derivations());
            }
            for p in &ev.pods {
                all.extend(p.derivations());
                for c in p.containers.as_slice() {
                    all.extend(c.derivations());
                }
            }
            for d in all {
                seen += 1;
                for lang in [Lang::En, Lang::Zh] {
                    if registry::get(lang, &format!("rule.{}", d.rule)).is_none() {
                        missing.insert(format!("{lang:?} rule.{}", d.rule));
                    }
                }
            }
        }
        assert!(seen > 1000, "{seen}");
        assert!(missing.is_empty(), "{missing:?}");
    }
}
