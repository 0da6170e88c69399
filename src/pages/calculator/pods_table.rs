//! The pods editor: one card per pod row (namespace, name, priority, priorityClassName, replicas,
//! observed usage) with its containers as a table (name, kind, memory and cpu requests/limits,
//! usage, growth); add, duplicate and remove pods and containers.

use super::form::{ContainerForm, PodForm};
use super::node_form::error_text;
use super::state::{use_calc, CalcState};
use leptos::prelude::*;
use oomlens_core::api::pod::ContainerKind;

/// Priority class names with a meaning to kubelet, offered as suggestions.
pub const PRIORITY_CLASSES: &[&str] = &["system-node-critical", "system-cluster-critical"];

fn pod_field(
    st: CalcState,
    pod: Memo<Option<PodForm>>,
    id: u32,
    field: &'static str,
    label: &'static str,
    get: fn(&PodForm) -> &String,
    set: fn(&mut PodForm) -> &mut String,
) -> impl IntoView {
    let i18n = super::Lt::new();
    let err = st.error_of(format!("pod.{id}.{field}"));
    let dom = format!("pod-{id}-{field}");
    let err_id = format!("{dom}-err");
    let err_id2 = err_id.clone();
    let list = (field == "priority_class").then_some("priority-classes");
    view! {
        <div class="field" class:invalid=move || err.with(Option::is_some)>
            <label for=dom.clone()>{move || i18n.t(label)}</label>
            <input id=dom type="text" autocomplete="off" spellcheck="false" list=list data-testid=format!("pod-{field}")
                prop:value=move || pod.with(|p| p.as_ref().map(|p| get(p).clone()).unwrap_or_default())
                aria-invalid=move || if err.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=move || err.with(Option::is_some).then(|| err_id.clone())
                on:input=move |ev| { let v = event_target_value(&ev); st.edit(|f| if let Some(p) = f.pod_mut(id) { *set(p) = v }) }/>
            <Show when=move || err.with(Option::is_some)>
                <span class="field-error" id=err_id2.clone() role="alert">{move || err.get().map(|e| error_text(i18n, &e)).unwrap_or_default()}</span>
            </Show>
        </div>
    }
}

fn container_cell(
    st: CalcState,
    ctr: Memo<Option<ContainerForm>>,
    (pid, cid): (u32, u32),
    field: &'static str,
    label: &'static str,
    get: fn(&ContainerForm) -> &String,
    set: fn(&mut ContainerForm) -> &mut String,
) -> impl IntoView {
    let i18n = super::Lt::new();
    let err = st.error_of(format!("ctr.{pid}.{cid}.{field}"));
    let err_id = format!("ctr-{pid}-{cid}-{field}-err");
    let err_id2 = err_id.clone();
    view! {
        <td class:invalid=move || err.with(Option::is_some)>
            <input type="text" autocomplete="off" spellcheck="false" data-testid=format!("ctr-{field}")
                id=format!("ctr-{pid}-{cid}-{field}")
                aria-label=move || i18n.t(label)
                prop:value=move || ctr.with(|c| c.as_ref().map(|c| get(c).clone()).unwrap_or_default())
                aria-invalid=move || if err.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=move || err.with(Option::is_some).then(|| err_id.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    st.edit(|f| if let Some(c) = f.pod_mut(pid).and_then(|p| p.containers.iter_mut().find(|c| c.id == cid)) { *set(c) = v })
                }/>
            <Show when=move || err.with(Option::is_some)>
                <span class="field-error" id=err_id2.clone() role="alert">{move || err.get().map(|e| error_text(i18n, &e)).unwrap_or_default()}</span>
            </Show>
        </td>
    }
}

fn kind_key(k: ContainerKind) -> &'static str {
    match k {
        ContainerKind::Container => "kind.container",
        ContainerKind::Init => "kind.init",
        ContainerKind::Sidecar => "kind.sidecar",
    }
}

#[component]
fn ContainerRow(pid: u32, cid: u32, pod: Memo<Option<PodForm>>) -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let ctr = Memo::new(move |_| {
        pod.with(|p| {
            p.as_ref()
                .and_then(|p| p.containers.iter().find(|c| c.id == cid).cloned())
        })
    });
    let kinds = [
        ContainerKind::Container,
        ContainerKind::Init,
        ContainerKind::Sidecar,
    ];
    view! {
        <tr>
            {container_cell(st, ctr, (pid, cid), "name", "ctr.name", |c| &c.name, |c| &mut c.name)}
            <td>
                <select aria-label=move || i18n.t("ctr.kind") data-testid="ctr-kind" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let kind = match v.as_str() { "init" => ContainerKind::Init, "sidecar" => ContainerKind::Sidecar, _ => ContainerKind::Container };
                    st.edit(|f| if let Some(c) = f.pod_mut(pid).and_then(|p| p.containers.iter_mut().find(|c| c.id == cid)) { c.kind = kind });
                }>
                    {kinds.into_iter().map(|k| {
                        let v = match k { ContainerKind::Container => "container", ContainerKind::Init => "init", ContainerKind::Sidecar => "sidecar" };
                        view! { <option value=v selected=move || ctr.with(|c| c.as_ref().map(|c| c.kind) == Some(k))>{move || i18n.t(kind_key(k))}</option> }
                    }).collect_view()}
                </select>
            </td>
            {container_cell(st, ctr, (pid, cid), "mem_req", "ctr.mem_req", |c| &c.mem_req, |c| &mut c.mem_req)}
            {container_cell(st, ctr, (pid, cid), "mem_lim", "ctr.mem_lim", |c| &c.mem_lim, |c| &mut c.mem_lim)}
            {container_cell(st, ctr, (pid, cid), "cpu_req", "ctr.cpu_req", |c| &c.cpu_req, |c| &mut c.cpu_req)}
            {container_cell(st, ctr, (pid, cid), "cpu_lim", "ctr.cpu_lim", |c| &c.cpu_lim, |c| &mut c.cpu_lim)}
            {container_cell(st, ctr, (pid, cid), "usage", "ctr.usage", |c| &c.usage, |c| &mut c.usage)}
            {container_cell(st, ctr, (pid, cid), "growth", "ctr.growth", |c| &c.growth, |c| &mut c.growth)}
            <td class="row-actions">
                <button type="button" class="icon" title=move || i18n.t("ctr.duplicate") aria-label=move || i18n.t("ctr.duplicate")
                    on:click=move |_| st.edit(|f| f.duplicate_container(pid, cid))>"⧉"</button>
                <button type="button" class="icon danger" title=move || i18n.t("ctr.remove") aria-label=move || i18n.t("ctr.remove")
                    on:click=move |_| st.edit(|f| f.remove_container(pid, cid))>"✕"</button>
            </td>
        </tr>
    }
}

#[component]
fn PodCard(id: u32) -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let src = st.pod_form(id);
    let pod = Memo::new(move |_| src.get());
    let container_ids = Memo::new(move |_| {
        pod.with(|p| {
            p.as_ref()
                .map(|p| p.containers.iter().map(|c| c.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let title = move || {
        pod.with(|p| {
            p.as_ref()
                .map(|p| format!("{}/{}", p.namespace, p.name))
                .unwrap_or_default()
        })
    };
    view! {
        <li class="pod-card" data-testid="pod-card">
            <div class="pod-card-head">
                <h3>{title}</h3>
                <div class="row-actions">
                    <button type="button" on:click=move |_| { st.edit(|f| { f.duplicate_pod(id); }); }>{move || i18n.t("pod.duplicate")}</button>
                    <button type="button" class="danger" on:click=move |_| st.edit(|f| f.remove_pod(id))>{move || i18n.t("pod.remove")}</button>
                </div>
            </div>
            <div class="fields">
                {pod_field(st, pod, id, "namespace", "pod.namespace", |p| &p.namespace, |p| &mut p.namespace)}
                {pod_field(st, pod, id, "name", "pod.name", |p| &p.name, |p| &mut p.name)}
                {pod_field(st, pod, id, "priority", "pod.priority", |p| &p.priority, |p| &mut p.priority)}
                {pod_field(st, pod, id, "priority_class", "pod.priority_class", |p| &p.priority_class, |p| &mut p.priority_class)}
                {pod_field(st, pod, id, "replicas", "pod.replicas", |p| &p.replicas, |p| &mut p.replicas)}
                {pod_field(st, pod, id, "usage", "pod.usage", |p| &p.usage, |p| &mut p.usage)}
            </div>
            <div class="table-scroll">
                <table class="containers-edit">
                    <caption class="sr-only">{move || i18n.tf("pod.containers_of", &[("pod", title())])}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.t("ctr.name")}</th>
                            <th scope="col">{move || i18n.t("ctr.kind")}</th>
                            <th scope="col">{move || i18n.t("ctr.mem_req")}</th>
                            <th scope="col">{move || i18n.t("ctr.mem_lim")}</th>
                            <th scope="col">{move || i18n.t("ctr.cpu_req")}</th>
                            <th scope="col">{move || i18n.t("ctr.cpu_lim")}</th>
                            <th scope="col">{move || i18n.t("ctr.usage")}</th>
                            <th scope="col">{move || i18n.t("ctr.growth")}</th>
                            <th scope="col"><span class="sr-only">{move || i18n.t("ctr.actions")}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || container_ids.get() key=|c| *c let:cid>
                            <ContainerRow pid=id cid=cid pod=pod/>
                        </For>
                    </tbody>
                </table>
            </div>
            <div class="row-actions add">
                <button type="button" on:click=move |_| st.edit(|f| f.add_container(id, ContainerKind::Container))>{move || i18n.t("pod.add_container")}</button>
                <button type="button" on:click=move |_| st.edit(|f| f.add_container(id, ContainerKind::Init))>{move || i18n.t("pod.add_init")}</button>
                <button type="button" on:click=move |_| st.edit(|f| f.add_container(id, ContainerKind::Sidecar))>{move || i18n.t("pod.add_sidecar")}</button>
            </div>
        </li>
    }
}

/// The pods editor component.
#[component]
pub fn PodsEditor() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let ids = Memo::new(move |_| {
        st.form
            .with(|f| f.pods.iter().map(|p| p.id).collect::<Vec<_>>())
    });
    view! {
        <section class="card pods-editor" aria-labelledby="pods-editor-title">
            <div class="card-head">
                <h2 id="pods-editor-title">{move || i18n.tf("pods.title", &[("n", ids.with(Vec::len).to_string())])}</h2>
                <button type="button" data-testid="add-pod" on:click=move |_| {
                    let mut id = 0;
                    st.edit(|f| id = f.add_pod());
                    // Adding a pod scrolls to it and puts the cursor in its name.
                    crate::widgets::dom::focus_id_soon(format!("pod-{id}-name"));
                }>{move || i18n.t("pods.add")}</button>
            </div>
            <datalist id="priority-classes">
                {PRIORITY_CLASSES.iter().map(|c| view! { <option value=*c></option> }).collect_view()}
            </datalist>
            <ul class="pod-list">
                <For each=move || ids.get() key=|id| *id let:id>
                    <PodCard id=id/>
                </For>
            </ul>
        </section>
    }
}
