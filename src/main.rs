//! The first-load module: the app shell and the calculator (see the library's doc, `src/lib.rs`).

fn main() {
    oomlens_web::app::mount();
}
