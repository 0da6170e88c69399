//! oomlens web app entry point (Leptos CSR).

mod i18n;
mod pages;
mod widgets;

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        i18n::provide_i18n(i18n::Lang::En);
        view! { <pages::calculator::CalculatorPage/> <pages::incident::IncidentPage/> }
    });
}
