//! A lesson's printable handout (`#/learn?lesson=ID&handout=1`): every step's story and inputs,
//! each question with its choices and a blank box for the class's prediction, and the answer key
//! (the model's answers) on a page of its own. On screen the key stays hidden until asked for;
//! in print it always follows the handout after a page break (style/learn.css).

use super::step::{answer_label, choice_label, evaluated, numbers_view, unanswered_from};
use super::{pick, rich};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use oomlens_core::lesson::{answer, choices, Lesson};

/// The handout of a lesson.
#[component]
pub fn Handout(lesson: &'static Lesson) -> impl IntoView {
    let i18n = use_i18n();
    let show_key = RwSignal::new(false);
    let body = move || {
        let lang = i18n.lang.get();
        let t = |k: &'static str| crate::i18n::lookup(lang, k).to_string();
        let mut n_ask = 0;
        let mut key = Vec::new();
        let steps = lesson
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let ev = evaluated(lesson, i).and_then(Result::ok);
                // Every question of the lesson stays hidden in every step: the key holds them.
                let mask = unanswered_from(lesson, 0, |_| false);
                let numbers = ev
                    .as_ref()
                    .map(|ev| numbers_view(lesson, i, ev, None, lang, false, &mask));
                let ask = s.ask.as_ref().zip(ev.as_ref()).map(|(a, ev)| {
                    n_ask += 1;
                    let offered = choices(&a.kind, ev, &a.choices);
                    let tr = |k: &'static str| crate::i18n::lookup(lang, k).to_string();
                    let model = answer(&a.kind, ev)
                        .map(|r| answer_label(&a.kind, &r, &offered, &tr))
                        .unwrap_or_else(|| t("learn.no_answer"));
                    key.push((n_ask, i + 1, pick(&a.prompt, lang), model, pick(&a.explain, lang)));
                    let boxes = offered
                        .iter()
                        .map(|c| view! { <li>"☐ "{choice_label(&a.kind, c, &tr)}</li> })
                        .collect_view();
                    view! {
                        <div class="handout-ask">
                            <p><strong>{format!("Q{n_ask}. ")}</strong>{rich(pick(&a.prompt, lang))}</p>
                            <ul class="handout-choices">{boxes}</ul>
                            <p class="handout-blank">{t("learn.handout.prediction")}</p>
                        </div>
                    }
                });
                view! {
                    <section class="handout-step">
                        <h2>{i18n.tf("learn.step_of", &[("i", (i + 1).to_string()), ("n", lesson.steps.len().to_string())])}{super::colon(lang)}{pick(&s.title, lang)}</h2>
                        <p class="learn-text">{rich(pick(&s.text, lang))}</p>
                        {numbers}
                        {ask}
                    </section>
                }
            })
            .collect_view();
        let key_items = key
            .into_iter()
            .map(|(q, step, prompt, model, explain)| {
                view! {
                    <li>
                        <strong>{format!("Q{q} ")}</strong>{format!("({}) ", i18n.tf("learn.step_of", &[("i", step.to_string()), ("n", lesson.steps.len().to_string())]))}{rich(prompt)}" → "<strong>{model}</strong>
                        <p class="learn-explain">{rich(explain)}</p>
                    </li>
                }
            })
            .collect_view();
        view! {
            {steps}
            <section class="answer-key" class:screen-hidden=move || !show_key.get() data-testid="answer-key">
                <h2>{t("learn.handout.key")}</h2>
                <ol>{key_items}</ol>
            </section>
        }
    };
    let title = lesson.title.clone();
    let question = lesson.question.clone();
    view! {
        <article class="handout" data-testid="handout">
            <nav class="learn-bar no-print">
                <a href="#/learn">{move || i18n.t("learn.all")}</a>
                <a href=format!("#{}", super::route::Route::lesson(&lesson.id, 0).fragment())>{move || i18n.t("learn.start")}</a>
                <button type="button" on:click=move |_| print()>{move || i18n.t("learn.handout.print")}</button>
                <button type="button" data-testid="show-key" aria-pressed=move || show_key.get().to_string() on:click=move |_| show_key.update(|s| *s = !*s)>
                    {move || i18n.t("learn.handout.show_key")}
                </button>
            </nav>
            <h1>{move || pick(&title, i18n.lang.get())}</h1>
            <p class="lede">{move || pick(&question, i18n.lang.get())}</p>
            <p class="handout-name">{move || i18n.t("learn.handout.name")}</p>
            {body}
        </article>
    }
}

fn print() {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = window().print();
    }
}
