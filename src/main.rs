//! oomlens web app entry point (Leptos CSR, built by trunk). `app` is the shell (header, hash
//! routing, language and theme); `pages` hold what the user does; `widgets` are shared views;
//! every number comes from `oomlens_core`. The same module also runs as the incident page's web
//! worker (`worker`), so the browser downloads the core once.

mod app;
mod i18n;
mod pages;
mod share;
mod widgets;
mod worker;

fn main() {
    #[cfg(target_arch = "wasm32")]
    if worker::in_worker() {
        worker::start();
        return;
    }
    app::mount();
}
