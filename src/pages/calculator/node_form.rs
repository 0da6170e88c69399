//! The node form: capacity, cloud preset, reservations, eviction thresholds, enforced allocatable,
//! kubelet version, feature gates, cgroup version, throttling factor, swap. Every field keeps the
//! user's text; errors show inline.

use super::form::{FieldError, NodeForm as NodeFields, GATES, PRESETS};
use super::state::{use_calc, CalcState};
use crate::i18n::messages;
use crate::widgets::message::pieces_view;
use crate::widgets::quantity_input::QuantityInput;
use leptos::prelude::*;
use oomlens_core::kubelet::rules::KubeletVersion;

/// The localised text of a field error.
pub fn error_text(i18n: super::Lt, e: &FieldError) -> String {
    i18n.tf(e.key, &[("detail", e.detail.clone())])
}

/// A text field bound to one node field.
fn node_text(
    st: CalcState,
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    get: fn(&NodeFields) -> &String,
    set: fn(&mut NodeFields) -> &mut String,
) -> impl IntoView {
    let i18n = super::Lt::new();
    node_text_with(
        st,
        id,
        label,
        move || {
            if placeholder.is_empty() {
                String::new()
            } else {
                i18n.t(placeholder)
            }
        },
        get,
        set,
    )
}

/// [`node_text`] with a computed placeholder (e.g. the preset's value the empty field leaves in
/// effect).
fn node_text_with(
    st: CalcState,
    id: &'static str,
    label: &'static str,
    placeholder: impl Fn() -> String + Send + Sync + 'static,
    get: fn(&NodeFields) -> &String,
    set: fn(&mut NodeFields) -> &mut String,
) -> impl IntoView {
    let i18n = super::Lt::new();
    let err = st.error_of(id.to_string());
    view! {
        <QuantityInput
            id=id.replace('.', "-")
            testid=id
            label=Signal::derive(move || i18n.t(label))
            value=Memo::new(move |_| st.form.with(|f| get(&f.node).clone()))
            on_input=Callback::new(move |v: String| st.edit(|f| *set(&mut f.node) = v))
            error=Signal::derive(move || err.get().map(|e| error_text(i18n, &e)))
            placeholder=Signal::derive(placeholder)
        />
    }
}

/// A select bound to one node field; `options` are (value, label key or literal).
fn node_select(
    st: CalcState,
    id: &'static str,
    label: &'static str,
    options: Vec<(String, Option<&'static str>)>,
    get: fn(&NodeFields) -> &String,
    set: fn(&mut NodeFields) -> &mut String,
) -> impl IntoView {
    let i18n = super::Lt::new();
    let dom_id = id.replace('.', "-");
    // One memo of the field: an edit elsewhere in the form does not re-check every option.
    let current = Memo::new(move |_| st.form.with(|f| get(&f.node).clone()));
    view! {
        <div class="field">
            <label for=dom_id.clone()>{move || i18n.t(label)}</label>
            <select id=dom_id data-testid=id on:change=move |ev| { let v = event_target_value(&ev); st.edit(|f| *set(&mut f.node) = v) }>
                {options
                    .into_iter()
                    .map(|(value, key)| {
                        let v2 = value.clone();
                        let text = value.clone();
                        view! {
                            <option value=value.clone() selected=move || current.with(|c| *c == v2)>
                                {move || match key { Some(k) => i18n.t(k), None => text.clone() }}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

fn node_check(
    st: CalcState,
    id: &'static str,
    label: &'static str,
    get: fn(&NodeFields) -> bool,
    set: fn(&mut NodeFields, bool),
) -> impl IntoView {
    let i18n = super::Lt::new();
    let dom_id = id.replace('.', "-");
    view! {
        <label class="check">
            <input type="checkbox" id=dom_id data-testid=id
                prop:checked=Memo::new(move |_| st.form.with(|f| get(&f.node)))
                on:change=move |ev| { let c = event_target_checked(&ev); st.edit(|f| set(&mut f.node, c)) }/>
            <span>{move || i18n.t(label)}</span>
        </label>
    }
}

/// The node form component.
#[component]
pub fn NodeForm() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let mut versions: Vec<(String, Option<&'static str>)> =
        vec![(String::new(), Some("node.version_newest"))];
    for minor in (KubeletVersion::OLDEST.minor..=KubeletVersion::NEWEST.minor).rev() {
        versions.push((format!("1.{minor}"), None));
    }
    let mut presets: Vec<(String, Option<&'static str>)> =
        vec![(String::new(), Some("node.preset_none"))];
    presets.extend(PRESETS.iter().map(|p| (p.to_string(), None)));
    let cgroups = vec![
        (String::new(), Some("node.cgroup_default")),
        ("2".into(), Some("node.cgroup_v2")),
        ("1".into(), Some("node.cgroup_v1")),
    ];
    let tri = |d: &'static str| {
        vec![
            (String::new(), Some(d)),
            ("true".into(), Some("opt.on")),
            ("false".into(), Some("opt.off")),
        ]
    };
    // The preset's formula line as a model message, in the page language.
    let preset_note = move || {
        st.view
            .with(|v| {
                v.last_good
                    .as_ref()
                    .and_then(|e| e.node.preset_message.clone())
            })
            .filter(|_| st.form.with(|f| !f.node.preset.is_empty()))
    };
    // With a preset chosen, an empty reservation or threshold field shows the preset's value in
    // effect; a filled one that takes the preset's place is listed with a "use preset" button.
    let preset_on = move || st.form.with(|f| !f.node.preset.trim().is_empty());
    let from_preset = move |value: fn(&oomlens_core::evaluation::Evaluation) -> Option<i64>,
                            fallback: &'static str| {
        move || {
            let v = preset_on()
                .then(|| {
                    st.view
                        .with(|v| v.last_good.as_ref().and_then(|e| value(e)))
                })
                .flatten();
            match v {
                Some(b) => i18n.tf(
                    "node.preset_value",
                    &[("value", crate::widgets::bytes::human(Some(b)))],
                ),
                None => i18n.t(fallback),
            }
        }
    };
    let overrides = Memo::new(move |_| {
        if !preset_on() {
            return Vec::new();
        }
        st.view.with(|v| {
            v.last_good
                .as_ref()
                .map(|e| e.node.preset_overrides.clone())
                .unwrap_or_default()
        })
    });
    view! {
        <section class="card node-form" aria-labelledby="node-form-title">
            <h2 id="node-form-title">{move || i18n.t("node.title")}</h2>
            <fieldset>
                <legend>{move || i18n.t("node.group_machine")}</legend>
                <div class="fields">
                    {node_text(st, "node.memory", "node.memory", "", |n| &n.memory, |n| &mut n.memory)}
                    {node_text(st, "node.swap", "node.swap", "node.swap_ph", |n| &n.swap, |n| &mut n.swap)}
                    {node_text(st, "node.system_usage", "node.system_usage", "node.system_usage_ph", |n| &n.system_usage, |n| &mut n.system_usage)}
                    {node_select(st, "node.cgroup_version", "node.cgroup", cgroups, |n| &n.cgroup_version, |n| &mut n.cgroup_version)}
                    {node_text(st, "node.kernel_version", "node.kernel", "node.kernel_ph", |n| &n.kernel_version, |n| &mut n.kernel_version)}
                </div>
            </fieldset>
            <fieldset>
                <legend>{move || i18n.t("node.group_kubelet")}</legend>
                <div class="fields">
                    {node_select(st, "node.kubelet_version", "node.version", versions, |n| &n.kubelet_version, |n| &mut n.kubelet_version)}
                    {node_select(st, "node.preset", "node.preset", presets, |n| &n.preset, |n| &mut n.preset)}
                    {node_text(st, "node.max_pods", "node.max_pods", "node.max_pods_ph", |n| &n.max_pods, |n| &mut n.max_pods)}
                </div>
                <Show when=move || preset_note().is_some()>
                    <p class="preset-note" data-testid="preset-formula">
                        <span>{move || i18n.t("node.preset_formula")}</span> " " <code>{move || {
                            let (lang, unit) = (i18n.lang(), i18n.t("unit.bytes"));
                            preset_note().map(|m| pieces_view(messages::pieces(lang, &m), &unit))
                        }}</code>
                    </p>
                </Show>
                <Show when=move || overrides.with(|o| !o.is_empty())>
                    <div class="preset-overrides banner warn" role="status" data-testid="preset-overrides">
                        <p>{move || i18n.t("node.preset_overridden")}</p>
                        <ul>
                            {move || overrides.get().into_iter().map(|o| {
                                let field = o.field.clone();
                                let preset_value = match o.preset.parse::<i64>() {
                                    Ok(b) => crate::widgets::bytes::human(Some(b)),
                                    Err(_) => o.preset.clone(),
                                };
                                let name = o.field.trim_start_matches("node.kubeletConfig.").to_string();
                                view! {
                                    <li data-testid="preset-override" data-field=o.field.clone()>
                                        {i18n.tf("node.preset_override_item", &[("field", name), ("yours", o.yours.clone()), ("preset", preset_value)])}
                                        " "
                                        <button type="button" data-testid="use-preset" on:click=move |_| st.edit(|f| f.use_preset_for(&field))>
                                            {move || i18n.t("node.use_preset")}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                </Show>
                <div class="fields">
                    {node_text_with(st, "node.kube_reserved", "node.kube_reserved", from_preset(|e| Some(e.node.kube_reserved_bytes), "node.reserved_ph"), |n| &n.kube_reserved, |n| &mut n.kube_reserved)}
                    {node_text_with(st, "node.system_reserved", "node.system_reserved", from_preset(|e| Some(e.node.system_reserved_bytes), "node.reserved_ph"), |n| &n.system_reserved, |n| &mut n.system_reserved)}
                </div>
                <div class="checks" role="group" aria-label=move || i18n.t("node.enforce")>
                    <span class="group-label">{move || i18n.t("node.enforce")}</span>
                    {node_check(st, "node.enforce_pods", "node.enforce_pods", |n| n.enforce_pods, |n, v| n.enforce_pods = v)}
                    {node_check(st, "node.enforce_system", "node.enforce_system", |n| n.enforce_system, |n, v| n.enforce_system = v)}
                    {node_check(st, "node.enforce_kube", "node.enforce_kube", |n| n.enforce_kube, |n, v| n.enforce_kube = v)}
                </div>
            </fieldset>
            <fieldset>
                <legend>{move || i18n.t("node.group_eviction")}</legend>
                <div class="fields">
                    {node_text_with(st, "node.hard_memory", "node.hard_memory", from_preset(hard_memory_available, "node.hard_ph"), |n| &n.hard_memory, |n| &mut n.hard_memory)}
                    {node_text(st, "node.hard_allocatable", "node.hard_allocatable", "node.optional_ph", |n| &n.hard_allocatable, |n| &mut n.hard_allocatable)}
                    {node_text(st, "node.soft_memory", "node.soft_memory", "node.optional_ph", |n| &n.soft_memory, |n| &mut n.soft_memory)}
                    {node_text(st, "node.soft_grace", "node.soft_grace", "node.grace_ph", |n| &n.soft_grace, |n| &mut n.soft_grace)}
                    {node_text(st, "node.min_reclaim", "node.min_reclaim", "node.optional_ph", |n| &n.min_reclaim, |n| &mut n.min_reclaim)}
                </div>
            </fieldset>
            <fieldset>
                <legend>{move || i18n.t("node.group_qos")}</legend>
                <div class="fields">
                    {node_text(st, "node.throttling", "node.throttling", "node.throttling_ph", |n| &n.throttling, |n| &mut n.throttling)}
                    {node_select(st, "node.single_process", "node.single_process", tri("opt.default"), |n| &n.single_process, |n| &mut n.single_process)}
                    {GATES
                        .iter()
                        .map(|g| {
                            let gate: &'static str = g;
                            let current = Memo::new(move |_| st.form.with(|f| f.node.gates.get(gate).cloned().unwrap_or_default()));
                            view! {
                                <div class="field">
                                    <label for=format!("gate-{gate}")>{move || i18n.tf("node.gate", &[("name", gate.to_string())])}</label>
                                    <select id=format!("gate-{gate}") data-testid=format!("gate-{gate}")
                                        on:change=move |ev| { let v = event_target_value(&ev); st.edit(|f| { f.node.gates.insert(gate.to_string(), v); }) }>
                                        {[("", "opt.version_default"), ("true", "opt.on"), ("false", "opt.off")]
                                            .into_iter()
                                            .map(|(v, k)| view! {
                                                <option value=v selected=move || current.with(|c| c == v)>
                                                    {move || i18n.t(k)}
                                                </option>
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </section>
    }
}

/// The hard `memory.available` threshold in effect, in bytes.
fn hard_memory_available(e: &oomlens_core::evaluation::Evaluation) -> Option<i64> {
    e.node
        .thresholds
        .iter()
        .find(|t| {
            t.signal == super::form::MEMORY_AVAILABLE
                && t.kind == oomlens_core::kubelet::thresholds::ThresholdKind::Hard
        })
        .map(|t| t.bytes)
}
