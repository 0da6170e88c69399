//! A labelled text input with inline validation: the raw text is always kept as typed; when it is
//! invalid the error shows under the field (linked by `aria-describedby`, `aria-invalid`) and the
//! page keeps showing the last valid result.

use leptos::prelude::*;

/// A labelled input whose validation error (computed by the caller from the same raw text) shows
/// inline. Used for quantities (`512Mi`), percentages, durations and plain numbers.
#[component]
pub fn QuantityInput(
    /// Unique element id (also used for the error's id).
    #[prop(into)]
    id: String,
    /// Visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The raw text.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new raw text on every keystroke.
    on_input: Callback<String>,
    /// The validation error for the current text, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Placeholder (e.g. the default that applies when empty).
    #[prop(into, optional)]
    placeholder: Signal<String>,
    /// Extra class for the wrapper.
    #[prop(into, optional)]
    class: String,
    /// A test id for the input.
    #[prop(into, optional)]
    testid: String,
) -> impl IntoView {
    let err_id = format!("{id}-err");
    let err_id2 = err_id.clone();
    let input_id = id.clone();
    view! {
        <div class=format!("field {class}") class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{move || label.get()}</label>
            <input
                id=input_id
                type="text"
                inputmode="text"
                autocomplete="off"
                spellcheck="false"
                data-testid=testid
                prop:value=move || value.get()
                placeholder=move || placeholder.get()
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=move || error.with(Option::is_some).then(|| err_id.clone())
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
            <Show when=move || error.with(Option::is_some)>
                <span class="field-error" id=err_id2.clone() role="alert">{move || error.get().unwrap_or_default()}</span>
            </Show>
        </div>
    }
}
