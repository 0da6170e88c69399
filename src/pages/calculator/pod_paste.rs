//! The paste box: pod YAML/JSON (`kubectl get pod -o yaml`), a v1 `List`, or a workload
//! (Deployment/StatefulSet/DaemonSet/Job: its pod template × replicas) becomes new pod rows. The
//! reading is the core's; this only hands the text over and reports what it found.

use super::state::use_calc;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use oomlens_core::pod::Pod;

/// Reads pasted objects into pods with the core's reader. Errors name the line/field.
pub fn read_pasted(text: &str) -> Result<Vec<Pod>, String> {
    if text.trim().is_empty() {
        return Err(String::new());
    }
    // Pods (or a v1 List) are read by the scenario reader's `pods` section.
    let docs: Vec<serde_yaml_ng::Value> = {
        let mut out = Vec::new();
        for d in serde_yaml_ng::Deserializer::from_str(text) {
            use serde::Deserialize;
            match serde_yaml_ng::Value::deserialize(d) {
                Ok(serde_yaml_ng::Value::Null) => {}
                Ok(v) => out.push(v),
                Err(e) => return Err(e.to_string()),
            }
        }
        out
    };
    let mut node = serde_yaml_ng::Mapping::new();
    node.insert("memory".into(), "1Gi".into());
    let mut top = serde_yaml_ng::Mapping::new();
    top.insert("node".into(), serde_yaml_ng::Value::Mapping(node));
    let pods = match docs.as_slice() {
        [one] => one.clone(),
        many => serde_yaml_ng::Value::Sequence(many.to_vec()),
    };
    let pods = match pods {
        serde_yaml_ng::Value::Mapping(m) if m.get("kind").and_then(|k| k.as_str()) != Some("List") => serde_yaml_ng::Value::Sequence(vec![serde_yaml_ng::Value::Mapping(m)]),
        other => other,
    };
    top.insert("pods".into(), pods);
    oomlens_core::scenario::scenario_from_value(&serde_yaml_ng::Value::Mapping(top)).map(|s| s.pods).map_err(|e| e.to_string())
}

/// The paste box component.
#[component]
pub fn PodPaste() -> impl IntoView {
    let st = use_calc();
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<usize, String>>);
    let add = move |_| {
        let t = text.get_untracked();
        match read_pasted(&t) {
            Ok(pods) if !pods.is_empty() => {
                let n = pods.len();
                st.edit(|f| f.append_pods(&pods));
                result.set(Some(Ok(n)));
                text.set(String::new());
            }
            Ok(_) => result.set(Some(Err(i18n.t("paste.none")))),
            Err(e) => result.set(Some(Err(e))),
        }
    };
    view! {
        <section class="card pod-paste" aria-labelledby="paste-title">
            <h2 id="paste-title">{move || i18n.t("paste.title")}</h2>
            <label for="pod-paste-text" class="hint">{move || i18n.t("paste.hint")}</label>
            <textarea id="pod-paste-text" data-testid="pod-paste" rows="8" spellcheck="false"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="row-actions">
                <button type="button" data-testid="pod-paste-add" on:click=add>{move || i18n.t("paste.add")}</button>
            </div>
            <p class="status" role="status" aria-live="polite" data-testid="pod-paste-status"
                class:error=move || result.with(|r| matches!(r, Some(Err(_))))>
                {move || match result.get() {
                    Some(Ok(n)) => i18n.tf("paste.added", &[("n", n.to_string())]),
                    Some(Err(e)) => i18n.tf("paste.error", &[("detail", e)]),
                    None => String::new(),
                }}
            </p>
        </section>
    }
}
