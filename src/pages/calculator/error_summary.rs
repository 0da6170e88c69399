//! The error summary at the top of the results: every invalid field by name, each a button that
//! moves focus to the field, the scenario-level error the model reported, and the visible marker
//! that the results below are those of the last valid input (so no stale number is silent).

use super::form::Form;
use super::node_form::error_text;
use super::state::use_calc;
use crate::widgets::dom::focus_id;
use leptos::prelude::*;

/// The catalogue key of the label of node field `field` (the form's error key `node.{field}`).
fn node_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "memory" => "node.memory",
        "swap" => "node.swap",
        "system_usage" => "node.system_usage",
        "cgroup_version" => "node.cgroup",
        "kernel_version" => "node.kernel",
        "kubelet_version" => "node.version",
        "preset" => "node.preset",
        "max_pods" => "node.max_pods",
        "kube_reserved" => "node.kube_reserved",
        "system_reserved" => "node.system_reserved",
        "hard_memory" => "node.hard_memory",
        "hard_allocatable" => "node.hard_allocatable",
        "soft_memory" => "node.soft_memory",
        "soft_grace" => "node.soft_grace",
        "min_reclaim" => "node.min_reclaim",
        "throttling" => "node.throttling",
        "single_process" => "node.single_process",
        _ => return None,
    })
}

fn pod_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "namespace" => "pod.namespace",
        "name" => "pod.name",
        "priority" => "pod.priority",
        "priority_class" => "pod.priority_class",
        "replicas" => "pod.replicas",
        "usage" => "pod.usage",
        "growth" => "tl.growth",
        _ => return None,
    })
}

fn container_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "ctr.name",
        "mem_req" => "ctr.mem_req",
        "mem_lim" => "ctr.mem_lim",
        "cpu_req" => "ctr.cpu_req",
        "cpu_lim" => "ctr.cpu_lim",
        "usage" => "ctr.usage",
        "growth" => "ctr.growth",
        _ => return None,
    })
}

/// The name of the field with error key `key` as the user sees it (`web/app · memory limit`),
/// and the DOM id of its input.
pub fn field_name(i18n: super::Lt, form: &Form, key: &str) -> (String, String) {
    let parts: Vec<&str> = key.split('.').collect();
    let dom = key.replace('.', "-");
    let label =
        |k: Option<&'static str>, raw: &str| k.map_or_else(|| raw.to_string(), |k| i18n.t(k));
    let id = |s: &str| s.parse::<u32>().ok();
    let text = match parts.as_slice() {
        ["node", f] => label(node_label(f), f),
        ["pod", p, f] => {
            let pod = id(p).and_then(|p| form.pod(p));
            let who = pod
                .map(|p| format!("{}/{}", p.namespace, p.name))
                .unwrap_or_default();
            // The growth of a pod is edited in "what fires first".
            let dom_id = if *f == "growth" {
                String::new()
            } else {
                dom.clone()
            };
            return (format!("{who} · {}", label(pod_label(f), f)), dom_id);
        }
        ["ctr", p, c, f] => {
            let pod = id(p).and_then(|p| form.pod(p));
            let ctr =
                pod.and_then(|pod| id(c).and_then(|c| pod.containers.iter().find(|x| x.id == c)));
            let who = match (pod, ctr) {
                (Some(p), Some(c)) => format!("{}/{}/{}", p.namespace, p.name, c.name),
                _ => String::new(),
            };
            format!("{who} · {}", label(container_label(f), f))
        }
        _ => key.to_string(),
    };
    (text, dom)
}

/// The DOM id of the input behind a scenario-level error path, when the form has one.
fn input_of_path(path: &str) -> Option<&'static str> {
    Some(match path {
        "node.memory" => "node-memory",
        "node.swap" => "node-swap",
        "node.preset" => "node-preset",
        "node.maxPods" => "node-max_pods",
        "node.kernelVersion" => "node-kernel_version",
        "kubeletVersion" => "node-kubelet_version",
        p if p.starts_with("node.kubeletConfig.kubeReserved") => "node-kube_reserved",
        p if p.starts_with("node.kubeletConfig.systemReserved") => "node-system_reserved",
        p if p.starts_with("node.kubeletConfig.evictionHard") => "node-hard_memory",
        p if p.starts_with("node.kubeletConfig.evictionSoftGracePeriod") => "node-soft_grace",
        p if p.starts_with("node.kubeletConfig.evictionSoft") => "node-soft_memory",
        p if p.starts_with("node.kubeletConfig.evictionMinimumReclaim") => "node-min_reclaim",
        p if p.starts_with("node.kubeletConfig.memoryThrottlingFactor") => "node-throttling",
        _ => return None,
    })
}

/// The summary component (nothing when every field is valid and the scenario evaluates).
#[component]
pub fn ErrorSummary() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let fields = Memo::new(move |_| {
        st.errors.with(|errs| {
            st.form.with(|f| {
                errs.iter()
                    .map(|(k, e)| {
                        let (name, dom) = field_name(i18n, f, k);
                        (name, dom, error_text(i18n, e))
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let eval_error = Memo::new(move |_| st.view.with(|v| v.error.clone()));
    let any = move || fields.with(|f| !f.is_empty()) || eval_error.with(Option::is_some);
    let has_results = move || st.view.with(|v| v.last_good.is_some());
    let item = move |name: String, dom: String, message: String| {
        let target = (!dom.is_empty()).then_some(dom);
        view! {
            <li>
                {match target {
                    Some(d) => view! {
                        <button type="button" class="link" data-testid="error-link" data-target=d.clone()
                            on:click=move |_| { focus_id(&d); }>{name}</button>
                    }.into_any(),
                    None => view! { <strong>{name}</strong> }.into_any(),
                }}
                ": " {message}
            </li>
        }
    };
    view! {
        <Show when=any>
            <section class="error-summary" id="error-summary" tabindex="-1" role="alert" aria-labelledby="error-summary-title" data-testid="error-summary">
                <h2 id="error-summary-title">
                    {move || {
                        let n = fields.with(Vec::len);
                        if n > 0 { i18n.tf("err.summary_fields", &[("n", n.to_string())]) } else { i18n.t("sum.eval_error") }
                    }}
                </h2>
                <ul>
                    {move || fields.get().into_iter().map(|(n, d, m)| item(n, d, m)).collect_view()}
                    {move || eval_error.get().map(|e| {
                        let dom = input_of_path(&e.path).map(str::to_string).unwrap_or_default();
                        let name = if e.path.is_empty() { i18n.t("err.scenario") } else { e.path.clone() };
                        let line = e.line.map(|l| format!(" ({})", i18n.tf("err.line", &[("line", l.to_string())]))).unwrap_or_default();
                        item(name, dom, format!("{}{line}", e.message))
                    })}
                </ul>
                <Show when=has_results>
                    <p class="stale-note" data-testid="stale-note">{move || i18n.t("err.showing_last")}</p>
                </Show>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_paths_map_to_the_inputs_that_set_them() {
        assert_eq!(
            input_of_path("node.kubeletConfig.kubeReserved.memory"),
            Some("node-kube_reserved")
        );
        assert_eq!(
            input_of_path("node.kubeletConfig.evictionSoftGracePeriod.memory.available"),
            Some("node-soft_grace")
        );
        assert_eq!(
            input_of_path("node.kubeletConfig.evictionSoft.memory.available"),
            Some("node-soft_memory")
        );
        assert_eq!(input_of_path("pods[3].spec"), None);
    }

    #[test]
    fn every_node_field_of_the_form_has_a_label() {
        for f in [
            "memory",
            "swap",
            "system_usage",
            "cgroup_version",
            "kernel_version",
            "kubelet_version",
            "preset",
            "max_pods",
            "kube_reserved",
            "system_reserved",
            "hard_memory",
            "hard_allocatable",
            "soft_memory",
            "soft_grace",
            "min_reclaim",
            "throttling",
            "single_process",
        ] {
            assert!(node_label(f).is_some(), "{f}");
        }
    }
}
