//! The calculator's reactive state: the form's raw text in one signal, the last valid [`Scenario`]
//! in another, and the [`Evaluation`] derived from it by a memo (which keeps the last good result
//! on screen when the core rejects a scenario). Components read slices of these; none computes a
//! kubelet rule.

use super::form::{FieldErrors, Form, PodForm};
use super::rows::KeyedRows;
use crate::widgets::perf::span;
use leptos::prelude::*;
use oomlens_core::evaluation::Evaluation;
use oomlens_core::scenario::ScenarioError;
use oomlens_core::Scenario;
use std::sync::Arc;

/// What the results area shows: the newest good evaluation (its derivations and English sentences
/// are rendered only when asked for) and, if the current scenario failed, its error.
#[derive(Debug, Clone, Default)]
pub struct EvalView {
    /// The last evaluation that succeeded.
    pub last_good: Option<Arc<Evaluation>>,
    /// The error of the current scenario, if it failed.
    pub error: Option<ScenarioError>,
}

impl PartialEq for EvalView {
    fn eq(&self, other: &Self) -> bool {
        let same_eval = match (&self.last_good, &other.last_good) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
            (None, None) => true,
            _ => false,
        };
        same_eval && self.error == other.error
    }
}

/// A value the "why" panel explains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhyTarget {
    /// A node field (`allocatable_bytes`, …).
    Node(&'static str),
    /// Threshold `index` of the node report.
    Threshold(usize),
    /// A field of pod `index`.
    Pod(usize, &'static str),
    /// A field of container `c` of pod `p`.
    Container(usize, usize, &'static str),
    /// Step `index` of the "what fires first" timeline.
    Step(usize),
    /// The pod at position `index` of the eviction order (its eviction rank).
    EvictionAt(usize),
    /// The container at position `index` of the whole-node kernel kill order (its oom_score_adj).
    KernelAt(usize),
}

/// The page state, shared through context (all fields are `Copy` signals).
#[derive(Clone, Copy)]
pub struct CalcState {
    /// The raw form.
    pub form: RwSignal<Form>,
    /// Field errors of the current form.
    pub errors: RwSignal<FieldErrors>,
    /// The last valid scenario.
    pub scenario: RwSignal<Scenario>,
    /// The evaluation of `scenario` (recomputed on every committed edit); the "why" panel renders
    /// its derivations from it.
    pub view: Memo<EvalView>,
    /// The value whose derivation is open.
    pub why: RwSignal<Option<WhyTarget>>,
    /// A transient status line (copied link, import error…), as (i18n key, detail).
    pub status: RwSignal<Option<(&'static str, String)>>,
    /// Whether charts use the dark palette.
    pub dark: RwSignal<bool>,
    /// Bumped on every committed scenario change (debounces persistence).
    pub generation: RwSignal<u64>,
    /// Each form pod in its own signal (by pod id), set only when that pod's fields change: the
    /// pods editor's rows read these, not the whole form.
    pub pod_forms: KeyedRows<u32, PodForm>,
}

impl CalcState {
    /// Creates the state around an initial scenario.
    pub fn new(initial: Scenario) -> CalcState {
        let form = RwSignal::new(Form::from_scenario(&initial));
        let scenario = RwSignal::new(initial);
        let view = Memo::new(move |prev: Option<&EvalView>| {
            // Per keystroke. Derivations and English sentences are rendered from the evaluation's
            // records only when the "why" panel (or an export) asks for them.
            let result = scenario.with(|s| span("calc:evaluate", || oomlens_core::evaluate(s)));
            match result {
                Ok(e) => EvalView {
                    last_good: Some(Arc::new(e)),
                    error: None,
                },
                Err(e) => EvalView {
                    last_good: prev.and_then(|p| p.last_good.clone()),
                    error: Some(e),
                },
            }
        });
        let why = RwSignal::new(None::<WhyTarget>);
        let pod_forms = KeyedRows::new();
        form.with_untracked(|f| pod_forms.sync(f.pods.iter().map(|p| (p.id, p))));
        Effect::new(move |_| form.with(|f| pod_forms.sync(f.pods.iter().map(|p| (p.id, p)))));
        CalcState {
            form,
            errors: RwSignal::new(FieldErrors::new()),
            scenario,
            view,
            why,
            status: RwSignal::new(None),
            dark: RwSignal::new(false),
            generation: RwSignal::new(0),
            pod_forms,
        }
    }

    /// Applies an edit to the form, then rebuilds the scenario if every field is valid.
    pub fn edit(&self, f: impl FnOnce(&mut Form)) {
        self.form.update(f);
        self.commit();
    }

    /// Rebuilds the scenario from the form (or records the field errors and keeps the last one).
    pub fn commit(&self) {
        let result = span("calc:form-to-scenario", || {
            self.form.with_untracked(Form::to_scenario)
        });
        match result {
            Ok(s) => {
                if !self.errors.with_untracked(FieldErrors::is_empty) {
                    self.errors.set(FieldErrors::new());
                }
                if self.scenario.with_untracked(|cur| *cur != s) {
                    self.scenario.set(s);
                    self.generation.update(|g| *g += 1);
                }
            }
            Err(errs) => {
                if self.errors.with_untracked(|cur| *cur != errs) {
                    self.errors.set(errs);
                }
            }
        }
    }

    /// Replaces everything with `scenario` (examples, imports, share links).
    pub fn load(&self, scenario: Scenario) {
        self.form.set(Form::from_scenario(&scenario));
        self.errors.set(FieldErrors::new());
        self.why.set(None);
        self.scenario.set(scenario);
        self.generation.update(|g| *g += 1);
    }

    /// The form pod `id` as a signal of its own (see [`CalcState::pod_forms`]).
    pub fn pod_form(&self, id: u32) -> RwSignal<Option<PodForm>> {
        let form = self.form;
        self.pod_forms
            .row(id, || form.with_untracked(|f| f.pod(id).cloned()))
    }

    /// The error of field `id`, reactive.
    pub fn error_of(&self, id: String) -> Signal<Option<super::form::FieldError>> {
        let errors = self.errors;
        Signal::derive(move || errors.with(|e| e.get(&id).cloned()))
    }
}

/// The page state from context.
pub fn use_calc() -> CalcState {
    expect_context::<CalcState>()
}
