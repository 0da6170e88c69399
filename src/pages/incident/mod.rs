//! The incident page (to be written).

use leptos::prelude::*;

/// The incident page component.
#[component]
pub fn IncidentPage() -> impl IntoView {
    view! { <section class="page incident"></section> }
}
