//! A term of art explained on demand: a small "?" button after the term that shows (and hides)
//! its short explanation and source right there, like the calculator's "why" buttons. The
//! explanations live in [`crate::i18n::glossary`].

use crate::i18n::glossary::term;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Ids of the explanation elements (one per rendered button).
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The "?" button and explanation of glossary term `id` (nothing when the term is unknown).
#[component]
pub fn TermHelp(id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let t = term(id)?;
    let open = RwSignal::new(false);
    let dom = format!("term-{id}-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let dom2 = dom.clone();
    Some(view! {
        <span class="term-help">
            <button type="button" class="term-btn" data-term=id
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=dom.clone()
                aria-label=move || i18n.tf("term.explain", &[("term", t.name(i18n.lang.get()).to_string())])
                on:click=move |_| open.update(|o| *o = !*o)
                on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { open.set(false) }>
                "?"
            </button>
            <Show when=move || open.get()>
                <span class="term-def" role="note" id=dom2.clone() data-testid="term-def">
                    <strong>{move || t.name(i18n.lang.get())}</strong>": "
                    {move || t.text(i18n.lang.get())}
                    <span class="term-source">{move || i18n.tf("term.source", &[("source", t.source.to_string())])}</span>
                </span>
            </Show>
        </span>
    })
}

/// Every glossary term as a definition list (the incident page's "Terms used here").
#[component]
pub fn Glossary() -> impl IntoView {
    let i18n = use_i18n();
    let items = crate::i18n::glossary::TERMS
        .iter()
        .map(|t| {
            view! {
                <dt id=format!("glossary-{}", t.id)>{move || t.name(i18n.lang.get())}</dt>
                <dd>{move || t.text(i18n.lang.get())} " "<span class="term-source">{move || i18n.tf("term.source", &[("source", t.source.to_string())])}</span></dd>
            }
        })
        .collect_view();
    view! {
        <details class="glossary card" data-testid="glossary">
            <summary>{move || i18n.t("term.glossary")}</summary>
            <dl>{items}</dl>
        </details>
    }
}
