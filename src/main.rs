//! oomlens web app entry point (Leptos CSR).

use leptos::prelude::*;

fn main() {
    console_error_panic_hook_set();
    leptos::mount::mount_to_body(|| view! { <p>"oomlens"</p> });
}

fn console_error_panic_hook_set() {}
