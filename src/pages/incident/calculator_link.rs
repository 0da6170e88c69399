//! "Open in calculator": when the core could build a scenario from the paste (node capacity, pods,
//! kubelet config), a link that opens it in the calculator page (via `crate::share::calculator_link`).

use super::analysis::Analysis;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::sync::Arc;

/// The link for `analysis`, if the paste held enough for a scenario (None when it did not, or
/// when the scenario text does not read back).
pub fn link(analysis: &Analysis) -> Option<String> {
    let yaml = analysis.scenario_yaml.as_deref()?;
    let scenario = oomlens_core::scenario::parse_scenario(yaml).ok()?;
    Some(crate::share::incident_calculator_link(&scenario))
}

/// The "Open in calculator" card (nothing when there is no scenario). The link opens a new tab:
/// the calculator reads a shared scenario (`#/calculator?s=…`) when the document loads, and the
/// incident (paste and findings) stays open in this tab.
#[component]
pub fn OpenInCalculator(analysis: Arc<Analysis>) -> impl IntoView {
    let i18n = use_i18n();
    link(&analysis).map(|href| {
        view! {
            <section class="calc-link card">
                <p>{move || i18n.t("inc.calc.text")}</p>
                <a class="button primary" id="incident-open-calculator" href=href target="_blank" rel="noopener">{move || i18n.t("inc.calc.open")}</a>
            </section>
        }
    })
}
