//! The named example scenarios offered by the page (the scenario files of `examples/scenarios/`,
//! compiled in as JSON by `build.rs`, so the first load reads them without a YAML reader), and the
//! built-in default shown on a first visit.

use oomlens_core::scenario::parse_scenario_json;
use oomlens_core::Scenario;

/// One example: its id (file stem) and the catalogue key of its title.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// File stem, e.g. `besteffort-first`.
    pub id: &'static str,
    /// i18n key of the title.
    pub title_key: &'static str,
}

impl Example {
    /// The scenario file as JSON ([`example_text`]).
    pub fn text(&self) -> &'static str {
        example_text(self.id).unwrap_or(DEFAULT_TEXT)
    }
}

macro_rules! examples {
    ($($id:literal),* $(,)?) => {
        /// The examples, in menu order.
        pub const EXAMPLES: &[Example] = &[$(Example { id: $id, title_key: concat!("ex.", $id) }),*];

        /// The JSON text of example `id`. Only the second module links the texts other than the
        /// default's (the calculator asks it for them, `crate::bridge::example_text`), which keeps
        /// them out of the first load.
        pub fn example_text(id: &str) -> Option<&'static str> {
            match id {
                $($id => Some(include_str!(concat!(env!("OUT_DIR"), "/examples/", $id, ".json"))),)*
                _ => None,
            }
        }
    };
}

/// The built-in default (used on first visit), as JSON.
pub const DEFAULT_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/examples/default.json"));

examples!(
    "default",
    "besteffort-first",
    "burstable-over-request",
    "sidecar-tiny-request",
    "guaranteed-near-limit",
    "no-reservations",
    "node-110-pods",
);

/// The default scenario.
pub fn default_scenario() -> Scenario {
    parse_example(DEFAULT_TEXT).unwrap_or_else(fallback)
}

/// Parses an example's text.
pub fn parse_example(text: &str) -> Option<Scenario> {
    parse_scenario_json(text).ok()
}

fn fallback() -> Scenario {
    use oomlens_core::base::quantity::Quantity;
    use oomlens_core::scenario::{KubeletConfig, NodeSpec};
    Scenario {
        kubelet_version: None,
        feature_gates: Default::default(),
        node: NodeSpec {
            memory: Quantity::from_bytes(16 << 30),
            swap: None,
            preset: None,
            max_pods: None,
            cgroup_version: None,
            page_size: None,
            kernel_version: None,
            kubelet_config: KubeletConfig::default(),
            system_usage: None,
            reported_allocatable: None,
        },
        pods: vec![],
        usage: Default::default(),
        growth: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oomlens_core::scenario::parse_scenario;

    /// The JSON the app compiles in is the scenario of its YAML file, and every example file is
    /// in the menu.
    #[test]
    fn every_example_is_its_yaml_file() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios");
        let files = std::fs::read_dir(dir).unwrap().count();
        assert_eq!(files, EXAMPLES.len());
        for ex in EXAMPLES {
            let yaml = std::fs::read_to_string(format!("{dir}/{}.yaml", ex.id)).unwrap();
            assert_eq!(
                parse_example(ex.text()),
                parse_scenario(&yaml).ok(),
                "{}",
                ex.id
            );
            assert!(parse_example(ex.text()).is_some(), "{}", ex.id);
        }
        assert_eq!(
            Some(default_scenario()),
            parse_scenario(&std::fs::read_to_string(format!("{dir}/default.yaml")).unwrap()).ok()
        );
    }

    #[test]
    fn every_example_parses() {
        for ex in EXAMPLES {
            assert!(
                parse_scenario(ex.text()).is_ok(),
                "{}: {:?}",
                ex.id,
                parse_scenario(ex.text()).err()
            );
        }
    }

    #[test]
    fn every_example_round_trips_through_the_form_and_a_share_link() {
        use crate::pages::calculator::form::Form;
        use crate::pages::calculator::share;
        for ex in EXAMPLES {
            let s = parse_scenario(ex.text()).unwrap();
            assert_eq!(
                Form::from_scenario(&s).to_scenario().as_ref(),
                Ok(&s),
                "{}: form round trip",
                ex.id
            );
            let frag = share::calculator_fragment(&s);
            let text = share::text_from_fragment(&frag).unwrap().unwrap();
            assert_eq!(
                parse_scenario(&text).as_ref(),
                Ok(&s),
                "{}: share link round trip",
                ex.id
            );
        }
    }
}
