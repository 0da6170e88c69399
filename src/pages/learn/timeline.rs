//! "What fires first", played: the calculator's timeline chart on a fixed time axis, drawn up to
//! a moment the learner scrubs to or plays (usage growing, kubelet's 10 s checks on the eviction
//! lane, the kernel's kill the instant a limit is reached).

use crate::i18n::use_i18n;
use crate::widgets::charts::timeline::{format_seconds, span, timeline_chart_at};
use crate::widgets::theme::Theme;
use leptos::prelude::*;
use oomlens_core::simulate::Timeline;
use std::sync::Arc;

/// Frames from the start to the end of the axis when played.
const FRAMES: u32 = 80;

/// The chart with its play button and time slider.
#[component]
pub fn TimelinePlayer(timeline: Arc<Timeline>) -> impl IntoView {
    let i18n = use_i18n();
    let end = span(&timeline);
    // The moment shown, as a frame (FRAMES = the whole timeline).
    let frame = RwSignal::new(FRAMES);
    let playing = RwSignal::new(false);
    let dark = expect_context::<super::LearnState>().dark;
    let now = move || f64::from(frame.get()) / f64::from(FRAMES) * end;
    let svg = {
        let timeline = timeline.clone();
        move || {
            let lang = i18n.lang.get();
            let tr = move |k: &'static str| crate::i18n::lookup(lang, k).to_string();
            let at = (frame.get() < FRAMES).then(now);
            timeline_chart_at(&timeline, &Theme::for_dark(dark.get()), &tr, at)
        }
    };
    let play = move |_| {
        if playing.get_untracked() {
            playing.set(false);
            return;
        }
        if frame.get_untracked() >= FRAMES {
            frame.set(0);
        }
        playing.set(true);
        #[cfg(target_arch = "wasm32")]
        {
            let handle = std::rc::Rc::new(std::cell::Cell::new(None::<IntervalHandle>));
            let h = handle.clone();
            if let Ok(id) = set_interval_with_handle(
                move || {
                    // The step may have been left while playing: its signals are gone then.
                    let (Some(f), Some(on)) =
                        (frame.try_get_untracked(), playing.try_get_untracked())
                    else {
                        if let Some(i) = h.take() {
                            i.clear();
                        }
                        return;
                    };
                    if !on || f >= FRAMES {
                        let _ = playing.try_set(false);
                        if let Some(i) = h.take() {
                            i.clear();
                        }
                        return;
                    }
                    let _ = frame.try_set(f + 1);
                },
                std::time::Duration::from_millis(60),
            ) {
                handle.set(Some(id));
            }
        }
    };
    view! {
        <figure class="chart learn-timeline" data-testid="learn-timeline">
            <div class="chart-svg" inner_html=svg></div>
            <figcaption>
                <button type="button" data-testid="play" aria-pressed=move || playing.get().to_string() on:click=play>
                    {move || if playing.get() { i18n.t("learn.pause") } else { i18n.t("learn.play") }}
                </button>
                <label class="learn-scrub">
                    <span class="visually-hidden">{move || i18n.t("learn.time")}</span>
                    <input type="range" min="0" max=FRAMES.to_string() step="1" prop:value=move || frame.get().to_string()
                        on:input=move |ev| {
                            playing.set(false);
                            frame.set(event_target_value(&ev).parse().unwrap_or(FRAMES).min(FRAMES));
                        }/>
                </label>
                <output>{move || format!("t = {}", format_seconds(now()))}</output>
            </figcaption>
        </figure>
    }
}
