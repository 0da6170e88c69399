//! A conclusion the readers draw from a paste, with its severity and the lines that prove it.

use serde::Serialize;

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Something to look at.
    Warning,
    /// What killed something.
    Critical,
}

/// A conclusion, with the lines that prove it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// Stable id for the UI's catalogue (e.g. `oom.container_limit`).
    pub id: String,
    /// The message in English (the CLI prints it; the UI may localise by `id` + `args`).
    pub message: String,
    /// Named values substituted into the message, for localisation.
    pub args: Vec<(String, String)>,
    /// What to do about it, in English (may be empty).
    pub advice: String,
    /// Evidence lines, 1-based.
    pub lines: Vec<usize>,
}

impl Finding {
    /// A finding with no args and no advice yet; `lines` are 1-based evidence lines.
    pub fn new(
        severity: Severity,
        id: &str,
        message: impl Into<String>,
        lines: Vec<usize>,
    ) -> Finding {
        Finding {
            severity,
            id: id.to_string(),
            message: message.into(),
            args: Vec::new(),
            advice: String::new(),
            lines,
        }
    }

    /// Adds a named value (for localisation by `id`).
    pub fn arg(mut self, name: &str, value: impl ToString) -> Finding {
        self.args.push((name.to_string(), value.to_string()));
        self
    }

    /// Adds a named value when it is known (for localisation by `id`).
    pub fn arg_opt(self, name: &str, value: Option<impl ToString>) -> Finding {
        match value {
            Some(v) => self.arg(name, v),
            None => self,
        }
    }

    /// Sets what to do about it.
    pub fn advice(mut self, advice: impl Into<String>) -> Finding {
        self.advice = advice.into();
        self
    }
}
