//! The incident module: in the page, it mounts the incident page into the shell's placeholder; in
//! the incident page's web worker (no `window`), it runs the analyser (see `src/lib.rs`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    if oomlens_web::worker::in_worker() {
        oomlens_web::worker::start();
        return;
    }
    oomlens_web::pages::incident::mount();
}
