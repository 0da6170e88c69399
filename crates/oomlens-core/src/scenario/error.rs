//! The error of reading or evaluating a scenario: the field path (and line, when known) and what
//! is wrong, so the calculator can mark the field and the CLI can name the line.

use serde::Serialize;

/// An error in a scenario, naming the field path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// Field path, e.g. `node.kubeletConfig.evictionHard.memory.available` or `pods[2].spec.containers[0].resources.limits.memory`.
    pub path: String,
    /// Line in the input, when known (1-based).
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}
