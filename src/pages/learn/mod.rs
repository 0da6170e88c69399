//! Training mode (`#/learn`): a catalogue of lessons, each a short story in steps that asks the
//! learner to predict before the model's answer is shown. The lessons are data
//! (`examples/lessons/`, read by `oomlens_core::lesson`); every answer and reason on the page is
//! the model's, from the same `evaluate` as the calculator.
//!
//! The URL holds lesson and step (`#/learn?lesson=limit-is-a-wall&step=3`), so a trainer can send a
//! class to one step. The learner's answers stay in this browser (local storage). Presenter mode
//! (P) enlarges the text and hides the app's chrome; → or Space steps on, ← back, R reveals.

mod handout;
mod lessons;
mod route;
mod step;
mod timeline;

use crate::i18n::{self, use_i18n, Lang};
use leptos::prelude::*;
use oomlens_core::lesson::{Lesson, Text};
use route::Route;
use std::collections::{BTreeMap, BTreeSet};

/// Local-storage key of the learner's answers (`{"lesson#step": "choice"}`).
const ANSWERS_KEY: &str = "oomlens.learn.answers";

/// What follows a label in the page's language: `": "`, or Chinese's full-width `"："`.
pub(crate) fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

/// A lesson text in the page's language.
pub(crate) fn pick(t: &Text, lang: Lang) -> String {
    match lang {
        Lang::En => t.en.clone(),
        Lang::Zh => t.zh.clone(),
    }
}

/// A lesson paragraph as text with `code` spans: what is between backticks is shown as code.
/// Never HTML.
pub(crate) fn rich(text: String) -> impl IntoView {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = part.to_string();
            if i % 2 == 1 {
                view! { <code>{part}</code> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view()
}

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
pub(crate) struct LearnState {
    /// Lesson and step from the URL.
    pub route: RwSignal<Route>,
    /// The learner's checked answers by `lesson#step`.
    pub answers: RwSignal<BTreeMap<String, String>>,
    /// Steps revealed to the room without an answer (this visit only).
    pub revealed: RwSignal<BTreeSet<String>>,
    /// The choice picked at the current step, not yet checked.
    pub pending: RwSignal<Option<String>>,
    /// Presenter mode.
    pub presenter: RwSignal<bool>,
    /// The page's colour scheme is dark (charts follow the shell's theme switch).
    pub dark: RwSignal<bool>,
}

impl LearnState {
    fn new() -> Self {
        let answers = browser::load_answers();
        LearnState {
            route: RwSignal::new(Route::parse(&browser::hash())),
            answers: RwSignal::new(answers),
            revealed: RwSignal::new(BTreeSet::new()),
            pending: RwSignal::new(None),
            presenter: RwSignal::new(false),
            dark: RwSignal::new(false),
        }
    }

    /// The key of a lesson's step in [`LearnState::answers`].
    pub fn key(lesson: &str, step: usize) -> String {
        format!("{lesson}#{step}")
    }

    /// Goes to a step (0-based) of the current lesson, through the URL.
    pub fn go(&self, lesson: &Lesson, step: usize) {
        let step = step.min(lesson.steps.len().saturating_sub(1));
        browser::set_hash(&Route::lesson(&lesson.id, step).fragment());
    }

    /// Checks the pending choice at the current step.
    pub fn check(&self, lesson: &str, step: usize) {
        let Some(choice) = self.pending.get_untracked() else {
            return;
        };
        self.answers.update(|a| {
            a.insert(Self::key(lesson, step), choice);
        });
        browser::save_answers(&self.answers.get_untracked());
    }

    /// True when a step's answer is shown: checked, or revealed to the room (reactive).
    pub fn is_open(&self, lesson: &str, step: usize) -> bool {
        let key = Self::key(lesson, step);
        self.answers.with(|a| a.contains_key(&key)) || self.revealed.with(|r| r.contains(&key))
    }

    /// Reveals the current step's answer to the room without an answer.
    pub fn reveal(&self, lesson: &str, step: usize) {
        self.revealed.update(|r| {
            r.insert(Self::key(lesson, step));
        });
    }
}

/// Mounts training mode into the shell's `#learn-root` (once; `boot.js` calls it when the page is
/// first shown), following the shell's language through `<html lang>`.
pub fn mount() {
    i18n::register_module(&i18n::LEARN_TABLES, i18n::learn::ZH);
    #[cfg(target_arch = "wasm32")]
    super::mount_later_page("learn", || view! { <LearnPage/> });
}

/// The training page: the catalogue, or the lesson and step the URL names.
#[component]
pub fn LearnPage() -> impl IntoView {
    let i18n = use_i18n();
    let st = LearnState::new();
    provide_context(st);
    browser::follow_hash(st);
    browser::keyboard(st);
    browser::follow_theme(st);
    Effect::new(move |_| browser::set_presenting(st.presenter.get()));
    view! {
        <div class="learn" class:presenter=move || st.presenter.get() data-testid="learn">
            {move || {
                let route = st.route.get();
                match route.lesson.as_deref() {
                    None => view! { <Catalogue/> }.into_any(),
                    Some(id) => match lessons::find(id) {
                        Some(lesson) if route.handout => view! { <handout::Handout lesson=lesson/> }.into_any(),
                        Some(lesson) => view! { <step::LessonView lesson=lesson step=route.step/> }.into_any(),
                        None => {
                            let id = id.to_string();
                            view! {
                                <p class="notice" role="alert">{move || i18n.tf("learn.unknown", &[("id", id.clone())])}</p>
                                <Catalogue/>
                            }
                            .into_any()
                        }
                    },
                }
            }}
        </div>
    }
}

/// The list of lessons.
#[component]
fn Catalogue() -> impl IntoView {
    let i18n = use_i18n();
    let st = expect_context::<LearnState>();
    let cards = lessons::all()
        .iter()
        .map(|l| {
            let asked: Vec<usize> = l
                .steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.ask.is_some())
                .map(|(i, _)| i)
                .collect();
            let id = l.id.clone();
            let href = format!("#{}", Route::lesson(&l.id, 0).fragment());
            let handout = format!("#{}", Route::handout(&l.id).fragment());
            let answered = {
                let (id, asked) = (id.clone(), asked.clone());
                move || {
                    st.answers.with(|a| {
                        asked
                            .iter()
                            .filter(|i| a.contains_key(&LearnState::key(&id, **i)))
                            .count()
                    })
                }
            };
            let n_asked = asked.len();
            let (title, question) = (l.title.clone(), l.question.clone());
            let (level, minutes, steps) = (l.level, l.minutes, l.steps.len());
            // Every release an answer is checked at: the lesson's, and any a step pins.
            let mut releases: Vec<&str> = l.releases.iter().map(String::as_str).collect();
            releases.extend(l.steps.iter().filter_map(|s| s.scenario.kubelet_version.as_deref()));
            releases.sort_by_key(|r| oomlens_core::kubelet::rules::KubeletVersion::parse(r).ok().map(|v| v.minor));
            releases.dedup();
            let releases = releases.join(", ");
            view! {
                <li class="lesson-card" data-lesson=id.clone()>
                    <h2><a href=href.clone()>{move || pick(&title, i18n.lang.get())}</a></h2>
                    <p>{move || rich(pick(&question, i18n.lang.get()))}</p>
                    <p class="muted">
                        {move || i18n.tf("learn.meta", &[
                            ("level", i18n.t(step::level_key(level))),
                            ("minutes", minutes.to_string()),
                            ("steps", steps.to_string()),
                            ("releases", releases.clone()),
                        ])}
                        " · "
                        {move || i18n.tf("learn.progress", &[("answered", answered().to_string()), ("asked", n_asked.to_string())])}
                    </p>
                    <p class="lesson-actions">
                        <a class="button" href=href>{move || i18n.t("learn.start")}</a>
                        <a href=handout>{move || i18n.t("learn.handout")}</a>
                    </p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="learn-catalogue">
            <h1>{move || i18n.t("learn.title")}</h1>
            <p class="lede">{move || i18n.t("learn.lede")}</p>
            <ul class="lesson-list">{cards}</ul>
        </section>
    }
}

/// What training mode asks of the browser: the URL, local storage, keys, the body's class.
mod browser {
    #[cfg(target_arch = "wasm32")]
    use super::Route;
    use super::{LearnState, ANSWERS_KEY};
    use std::collections::BTreeMap;

    /// The URL fragment without `#`.
    pub fn hash() -> String {
        #[cfg(target_arch = "wasm32")]
        {
            let h = leptos::prelude::window()
                .location()
                .hash()
                .unwrap_or_default();
            h.strip_prefix('#').unwrap_or(&h).to_string()
        }
        #[cfg(not(target_arch = "wasm32"))]
        String::new()
    }

    /// Sets the URL fragment (a history entry, so Back returns to the previous step).
    pub fn set_hash(fragment: &str) {
        #[cfg(target_arch = "wasm32")]
        {
            let _ = leptos::prelude::window().location().set_hash(fragment);
        }
        let _ = fragment;
    }

    /// Keeps [`LearnState::route`] on the URL while training mode is shown.
    pub fn follow_hash(st: LearnState) {
        #[cfg(target_arch = "wasm32")]
        {
            use leptos::prelude::*;
            let handle = window_event_listener_untyped("hashchange", move |_| {
                let h = hash();
                if Route::is_learn(&h) {
                    let r = Route::parse(&h);
                    if r != st.route.get_untracked() {
                        st.pending.set(None);
                        st.route.set(r);
                    }
                }
            });
            std::mem::forget(handle);
        }
        let _ = st;
    }

    /// Keeps [`LearnState::dark`] on the shell's theme (and the system's, when none is chosen).
    pub fn follow_theme(st: LearnState) {
        #[cfg(target_arch = "wasm32")]
        {
            use leptos::prelude::*;
            st.dark.set(crate::widgets::theme::page_is_dark());
            crate::widgets::dom::watch_root_attributes(
                move || {
                    let d = crate::widgets::theme::page_is_dark();
                    if st.dark.try_get_untracked() != Some(d) {
                        let _ = st.dark.try_set(d);
                    }
                },
                true,
            );
        }
        let _ = st;
    }

    /// The answers stored in this browser (none when storage is unavailable or unreadable).
    pub fn load_answers() -> BTreeMap<String, String> {
        #[cfg(target_arch = "wasm32")]
        {
            let stored = leptos::prelude::window()
                .local_storage()
                .ok()
                .flatten()
                .and_then(|s| s.get_item(ANSWERS_KEY).ok().flatten());
            if let Some(text) = stored {
                return serde_json::from_str(&text).unwrap_or_default();
            }
        }
        let _ = ANSWERS_KEY;
        BTreeMap::new()
    }

    /// Stores the answers (silently nothing when storage is unavailable).
    pub fn save_answers(a: &BTreeMap<String, String>) {
        #[cfg(target_arch = "wasm32")]
        if let (Ok(Some(s)), Ok(text)) = (
            leptos::prelude::window().local_storage(),
            serde_json::to_string(a),
        ) {
            let _ = s.set_item(ANSWERS_KEY, &text);
        }
        let _ = a;
    }

    /// Presenter mode hides the app's header and footer (`body.presenting`).
    pub fn set_presenting(on: bool) {
        #[cfg(target_arch = "wasm32")]
        if let Some(body) = leptos::prelude::document().body() {
            let _ = body.class_list().toggle_with_force("presenting", on);
        }
        let _ = on;
    }

    /// → / Space: next step; ←: previous; R: check the chosen answer, or in presenter mode reveal
    /// it to the room; P: presenter mode. Only while training mode is shown, and never when a
    /// key belongs to the focused control (arrows and Space in a radio group or on a button).
    pub fn keyboard(st: LearnState) {
        #[cfg(target_arch = "wasm32")]
        {
            use leptos::prelude::*;
            use leptos::wasm_bindgen::JsCast;
            let handle = window_event_listener(leptos::ev::keydown, move |ev| {
                if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || !Route::is_learn(&hash()) {
                    return;
                }
                let target = ev
                    .target()
                    .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok());
                let tag = target
                    .as_ref()
                    .map(|e| e.tag_name().to_ascii_lowercase())
                    .unwrap_or_default();
                // A choice already checked is disabled: its keys are the page's again.
                let enabled = target.is_some_and(|e| !e.has_attribute("disabled"));
                let in_control = enabled && matches!(tag.as_str(), "input" | "textarea" | "select");
                let key = ev.key();
                let route = st.route.get_untracked();
                let lesson = route.lesson.as_deref().and_then(super::lessons::find);
                match key.as_str() {
                    "ArrowRight" | "ArrowLeft" | " "
                        if in_control || (key == " " && tag == "button") => {}
                    "ArrowRight" | " " => {
                        if let Some(l) = lesson {
                            ev.prevent_default();
                            st.go(l, route.step + 1);
                        }
                    }
                    "ArrowLeft" => {
                        if let Some(l) = lesson {
                            ev.prevent_default();
                            st.go(l, route.step.saturating_sub(1));
                        }
                    }
                    "r" | "R" => {
                        if let Some(l) = lesson {
                            if st.pending.get_untracked().is_some() {
                                st.check(&l.id, route.step);
                            } else if st.presenter.get_untracked() {
                                st.reveal(&l.id, route.step);
                            }
                        }
                    }
                    "p" | "P" => st.presenter.update(|p| *p = !*p),
                    _ => {}
                }
            });
            std::mem::forget(handle);
        }
        let _ = st;
    }
}
