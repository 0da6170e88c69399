//! The paste box: pod YAML/JSON (`kubectl get pod -o yaml`), a v1 `List`, or a workload
//! (Deployment/StatefulSet/DaemonSet/Job: its pod template × replicas) becomes new pod rows. The
//! reading is the core's (JSON here, YAML in the second module: `crate::bridge::read_pods`); this
//! only hands the text over and reports what it found.

use super::state::use_calc;
use leptos::prelude::*;

/// The paste box component.
#[component]
pub fn PodPaste() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let text = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<usize, String>>);
    // Pods renamed at paste time because their name was taken: (`ns/old`, `ns/new`).
    let renamed = RwSignal::new(Vec::<(String, String)>::new());
    let notes = RwSignal::new(Vec::<String>::new());
    // A YAML paste is read by the second module, which may have to load first.
    let reading = RwSignal::new(false);
    let apply =
        move |pasted: String,
              read: Result<(Vec<oomlens_core::api::pod::Pod>, Vec<String>), String>| {
            notes.set(read.as_ref().map(|r| r.1.clone()).unwrap_or_default());
            match read.map(|r| r.0) {
                Ok(pods) if !pods.is_empty() => {
                    let n = pods.len();
                    let first_new = st.form.with_untracked(|f| f.pods.len());
                    let mut clashes = Vec::new();
                    st.edit(|f| clashes = f.append_pods(&pods));
                    renamed.set(clashes);
                    result.set(Some(Ok(n)));
                    // Cleared unless the user typed something else while it was read.
                    if text.with_untracked(|t| *t == pasted) {
                        text.set(String::new());
                    }
                    // Show the first pod just added (the editor grows below the fold).
                    if let Some(id) = st
                        .form
                        .with_untracked(|f| f.pods.get(first_new).map(|p| p.id))
                    {
                        crate::widgets::dom::focus_id_soon(format!("pod-{id}-name"));
                    }
                }
                Ok(_) => {
                    renamed.set(Vec::new());
                    result.set(Some(Err(i18n.t("paste.none"))));
                }
                Err(e) => {
                    renamed.set(Vec::new());
                    result.set(Some(Err(e)));
                }
            }
        };
    let add = move |_| {
        if reading.get_untracked() {
            return;
        }
        let t = text.get_untracked();
        reading.set(true);
        leptos::task::spawn_local(async move {
            let read = crate::bridge::read_pods(&t).await;
            reading.set(false);
            apply(t, read);
        });
    };
    view! {
        <section class="card pod-paste" aria-labelledby="paste-title">
            <h2 id="paste-title">{move || i18n.t("paste.title")}</h2>
            <label for="pod-paste-text" class="hint">{move || i18n.t("paste.hint")}</label>
            <textarea id="pod-paste-text" data-testid="pod-paste" rows="8" spellcheck="false"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="row-actions">
                <button type="button" data-testid="pod-paste-add" on:click=add aria-busy=move || reading.get().then_some("true")>{move || i18n.t("paste.add")}</button>
            </div>
            <p class="status" role="status" aria-live="polite" data-testid="pod-paste-status"
                class:error=move || result.with(|r| matches!(r, Some(Err(_))))>
                {move || match result.get() {
                    Some(Ok(n)) => i18n.tf("paste.added", &[("n", n.to_string())]),
                    Some(Err(e)) => i18n.tf("paste.error", &[("detail", e)]),
                    None => String::new(),
                }}
                {move || renamed.with(|r| (!r.is_empty()).then(|| {
                    let list = r.iter().map(|(a, b)| format!("{a} → {b}")).collect::<Vec<_>>().join(", ");
                    format!(" {}", i18n.tf("paste.renamed", &[("list", list)]))
                }))}
            </p>
            <Show when=move || notes.with(|n| !n.is_empty())>
                <ul class="notes">{move || notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            </Show>
        </section>
    }
}
