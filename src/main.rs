//! oomlens web app entry point (Leptos CSR, built by trunk). `app` is the shell (header, hash
//! routing, language and theme); `pages` hold what the user does; `widgets` are shared views;
//! every number comes from `oomlens_core`.

mod app;
mod i18n;
mod pages;
mod share;
mod widgets;

fn main() {
    app::mount();
}
