//! A long list rendered in batches, one batch per task: the first at once, each next one in a task
//! of its own, so no single task holds the page. What this buys: a 50 MB node journal gives some
//! 1,900 findings and 800 recognised blocks; rendered in one task they held the main thread for
//! about half a second (docs/performance.md); in batches (40 list items, or 3 event cards with
//! their task tables) each task stays short and the page scrolls while the rest arrives.

use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// Renders items `0..count` with `render` (given an item's index), `per_task` at a time. Not
/// generic: one copy of the list machinery serves every list (each copy costs the module size).
pub fn batched(
    count: usize,
    per_task: usize,
    render: Arc<dyn Fn(usize) -> AnyView + Send + Sync>,
) -> impl IntoView {
    let per_task = per_task.max(1);
    let batches = count.div_ceil(per_task);
    let shown = RwSignal::new(batches.min(1));
    Effect::new(move |_| {
        if shown.get() < batches {
            set_timeout(move || shown.update(|n| *n += 1), Duration::ZERO);
        }
    });
    view! {
        <For
            each=move || 0..shown.get()
            key=|b| *b
            children=move |b| {
                let render = render.clone();
                (b * per_task..((b + 1) * per_task).min(count))
                    .map(move |i| render(i))
                    .collect_view()
            }
        />
    }
}
