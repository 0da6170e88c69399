//! The calculator page (to be written).

use leptos::prelude::*;

/// The calculator page component.
#[component]
pub fn CalculatorPage() -> impl IntoView {
    view! { <section class="page calculator"></section> }
}
