//! "Why this number": the panel that explains the selected value from its `Derivation`s — the
//! formula, the user's inputs substituted, the kubelet version's rule and the upstream source. It
//! follows the live evaluation, so editing an input updates the explanation in place.

use super::state::{use_calc, WhyTarget};
use leptos::prelude::*;
use oomlens_core::base::derivation::Derivation;
use oomlens_core::evaluation::Evaluation;

/// What the panel shows for a target: a heading, and the derivations (those of the field first;
/// all of the object's when none names the field).
#[derive(Debug, Clone, PartialEq)]
pub struct WhyContent {
    /// The object and field, e.g. `shop/web/app · oom_score_adj`.
    pub heading: String,
    /// The field's derivations.
    pub derivations: Vec<Derivation>,
    /// True when no derivation names the field and the object's others are shown.
    pub fallback: bool,
}

fn pick(all: &[Derivation], field: &str) -> (Vec<Derivation>, bool) {
    let exact: Vec<Derivation> = all.iter().filter(|d| d.field == field).cloned().collect();
    if exact.is_empty() {
        (all.to_vec(), true)
    } else {
        (exact, false)
    }
}

/// Resolves a target against an evaluation (`None` when it no longer exists).
pub fn resolve(eval: &Evaluation, target: &WhyTarget) -> Option<WhyContent> {
    let (heading, (derivations, fallback)) = match target {
        WhyTarget::Node(field) => (
            format!("node · {field}"),
            pick(&eval.node.derivations(), field),
        ),
        WhyTarget::Threshold(i) => {
            let t = eval.node.thresholds.get(*i)?;
            (
                format!("{} · {:?}", t.signal, t.kind).to_ascii_lowercase(),
                (t.derivations(), false),
            )
        }
        WhyTarget::Pod(p, field) => {
            let pod = eval.pods.get(*p)?;
            (
                format!("{}/{} · {field}", pod.namespace, pod.name),
                pick(&pod.derivations(), field),
            )
        }
        WhyTarget::EvictionAt(k) => {
            let key = eval.eviction_order.get(*k)?;
            let p = eval.pods.iter().position(|p| {
                crate::widgets::charts::kill_order::is_pod_key(&p.namespace, &p.name, key)
            })?;
            return resolve(eval, &WhyTarget::Pod(p, "eviction_rank"));
        }
        WhyTarget::KernelAt(k) => {
            let key = eval.node_oom_kill_order.get(*k)?;
            let (p, c) = super::who_dies::locate_container(eval, key)?;
            return resolve(eval, &WhyTarget::Container(p, c, "oom_score_adj"));
        }
        WhyTarget::Step(i) => {
            let step = eval.timeline.steps.get(*i)?;
            let who = step.victim.clone().unwrap_or_default();
            (
                format!("#{} · {:.1} s · {who}", i + 1, step.time_seconds),
                (step.derivations(), false),
            )
        }
        WhyTarget::Container(p, c, field) => {
            let pod = eval.pods.get(*p)?;
            let ctr = pod.containers.get(*c)?;
            (
                format!("{}/{}/{} · {field}", pod.namespace, pod.name, ctr.name),
                pick(&ctr.derivations(), field),
            )
        }
    };
    Some(WhyContent {
        heading,
        derivations,
        fallback,
    })
}

/// The localised title of a rule id (`rule.<id>`). The titles are training mode's text (second
/// module, registered when it is opened), so the first load does not carry them; until then the
/// panel shows the rule id alone.
fn rule_title(lang: crate::i18n::Lang, rule: &str) -> Option<&'static str> {
    crate::i18n::registry::get(lang, &format!("rule.{rule}"))
}

/// The panel's position next to `button` in viewport pixels: (top, bottom, left). Below the
/// button when it sits in the upper half of the window, above it otherwise; kept inside the window.
/// `None` on narrow windows, where the panel is a bottom sheet.
#[cfg(target_arch = "wasm32")]
fn placement(button: &leptos::web_sys::HtmlElement) -> Option<(Option<f64>, Option<f64>, f64)> {
    let w = window();
    let vw = w.inner_width().ok()?.as_f64()?;
    let vh = w.inner_height().ok()?.as_f64()?;
    if vw < 700.0 {
        return None;
    }
    let r = button.get_bounding_client_rect();
    let panel_w = (34.0 * 16.0_f64).min(vw - 32.0);
    let left = (r.left() - 16.0).clamp(8.0, (vw - panel_w - 8.0).max(8.0));
    Some(if r.top() < vh / 2.0 {
        (Some(r.bottom() + 6.0), None, left)
    } else {
        (None, Some(vh - r.top() + 6.0), left)
    })
}

/// The result of a byte-valued derivation (`…_bytes`, ending in `= <integer>`) in binary units,
/// shown after the exact arithmetic so the number reads like the one on the page.
fn humanised_result(field: &str, substituted: &str) -> Option<String> {
    if !field.ends_with("_bytes") {
        return None;
    }
    let last = substituted.rsplit('=').next()?.trim();
    let bytes: i64 = last.parse().ok()?;
    (bytes.unsigned_abs() >= 1024).then(|| crate::widgets::bytes::human(Some(bytes)))
}

/// The panel component.
#[component]
pub fn WhyPanel() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let content = Memo::new(move |_| {
        let target = st.why.get()?;
        // The derivations are rendered from the current evaluation's records on demand.
        st.view
            .with(|v| v.last_good.as_ref().and_then(|e| resolve(e, &target)))
    });
    let close_ref = NodeRef::<leptos::html::Button>::new();
    // Where the panel opens: next to the button that opened it (top or bottom edge in px, and
    // left), on the side with more room; `None` keeps the stylesheet's corner (phones).
    let place = RwSignal::new(None::<(Option<f64>, Option<f64>, f64)>);
    // The control that opened the panel gets focus back when it closes (Escape, ✕).
    #[cfg(target_arch = "wasm32")]
    let opener = StoredValue::new_local(None::<leptos::web_sys::HtmlElement>);
    Effect::new(move |was_open: Option<bool>| {
        let open = st.why.with(Option::is_some);
        #[cfg(target_arch = "wasm32")]
        {
            use leptos::wasm_bindgen::JsCast;
            if open {
                // The "why" button just pressed (another one while open replaces it).
                let active = document()
                    .active_element()
                    .filter(|e| e.class_list().contains("why-btn"))
                    .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok());
                if let Some(el) = &active {
                    place.set(placement(el));
                }
                if active.is_some() {
                    opener.set_value(active);
                }
            }
            if !open && was_open == Some(true) {
                if let Some(el) = opener.get_value() {
                    let _ = el.focus();
                }
                opener.set_value(None);
            }
        }
        if open {
            if let Some(b) = close_ref.get() {
                let _ = b.focus();
            }
        }
        let _ = was_open;
        open
    });
    view! {
        <Show when=move || st.why.with(Option::is_some)>
            <aside class="why-panel" class:anchored=move || place.with(Option::is_some) role="dialog" aria-modal="false" aria-labelledby="why-title" data-testid="why-panel"
                style:top=move || place.get().and_then(|p| p.0).map(|v| format!("{v:.0}px"))
                style:bottom=move || place.get().and_then(|p| p.1).map(|v| format!("{v:.0}px"))
                style:left=move || place.get().map(|p| format!("{:.0}px", p.2))>
                <div class="why-head">
                    <h2 id="why-title">{move || i18n.t("why.title")}</h2>
                    <button type="button" node_ref=close_ref class="icon" aria-label=move || i18n.t("why.close") on:click=move |_| st.why.set(None)>"✕"</button>
                </div>
                {move || match content.get() {
                    None => view! { <p>{i18n.t("why.gone")}</p> }.into_any(),
                    Some(c) => {
                        let lang = i18n.lang();
                        view! {
                            <p class="why-heading"><code>{c.heading.clone()}</code></p>
                            <Show when=move || c.fallback>
                                <p class="hint">{i18n.t("why.fallback")}</p>
                            </Show>
                            <Show when={let empty = c.derivations.is_empty(); move || empty}>
                                <p class="hint">{i18n.t("why.none")}</p>
                            </Show>
                            <ol class="derivations">
                                {c.derivations.iter().map(|d| {
                                    let title = rule_title(lang, &d.rule).map(str::to_string);
                                    view! {
                                        <li>
                                            <dl>
                                                <dt>{i18n.t("why.rule")}</dt>
                                                <dd>{title.map(|t| format!("{t} ")).unwrap_or_default()}<code>{d.rule.clone()}</code></dd>
                                                <dt>{i18n.t("why.formula")}</dt>
                                                <dd><code>{d.formula.clone()}</code></dd>
                                                <dt>{i18n.t("why.substituted")}</dt>
                                                <dd>
                                                    <code>{d.substituted.clone()}</code>
                                                    {humanised_result(&d.field, &d.substituted).map(|h| view! { <span class="why-human">" = "{h}</span> })}
                                                </dd>
                                                {(!d.version_rule.is_empty()).then(|| view! {
                                                    <dt>{i18n.t("why.version_rule")}</dt>
                                                    <dd>{d.version_rule.clone()}</dd>
                                                })}
                                                <dt>{i18n.t("why.source")}</dt>
                                                <dd><code>{d.source.clone()}</code></dd>
                                            </dl>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                }}
            </aside>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_results_are_also_shown_in_binary_units() {
        assert_eq!(
            humanised_result(
                "allocatable_bytes",
                "max(0, 17179869184 − 1715470336) = 15464398848"
            )
            .as_deref(),
            Some("14.40 GiB")
        );
        assert_eq!(humanised_result("oom_score_adj", "1000 − 31 = 969"), None);
        assert_eq!(humanised_result("request_bytes", "0 + 512"), None);
    }

    #[test]
    fn the_fields_derivation_is_picked_else_all() {
        let d = |f: &str| Derivation::new(f, "r", "a", "b", "s");
        let all = vec![d("oom_score_adj"), d("memory_high_bytes")];
        let (got, fb) = pick(&all, "memory_high_bytes");
        assert_eq!(
            (got.len(), got[0].field.as_str(), fb),
            (1, "memory_high_bytes", false)
        );
        let (got, fb) = pick(&all, "memory_min_bytes");
        assert_eq!((got.len(), fb), (2, true));
    }
}
