//! The calls the calculator's module makes into the second module (`src/bin/incident.rs`), which
//! carries the YAML reader (libyaml) and the examples other than the default: the first load
//! reads JSON only (its default example, share links and stored scenario are JSON), and hands
//! YAML (an older share link or stored scenario, an imported file, a pasted manifest) to the
//! second module. Keeping these out of the first load is what the first-load budget asks for
//! (`docs/performance.md`).
//!
//! The two wasm instances have separate memories, so only strings cross, as JSON: the second
//! module reads the text with the core's readers and replies with the result written as JSON (or
//! the error, with its line in the text the user gave); the calculator reads that JSON back with
//! the same core. A test checks that the round trip gives what the reader gave.
//!
//! [`service`] is the second module's side (pure, tested natively; its exports wrap it),
//! [`client`] the calculator's side.

pub mod client;
pub mod service;

use oomlens_core::api::pod::Pod;
use oomlens_core::scenario::{Scenario, ScenarioError};
use serde::{Deserialize, Serialize};

/// An error as it crosses: the core's `ScenarioError` fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireError {
    /// Field path.
    pub path: String,
    /// 1-based line in the text the user gave, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// The second module's reply to `scenario_from_text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScenarioReply {
    /// The scenario, as JSON text (`scenario_to_json`).
    Scenario(String),
    /// Why the text is not a scenario.
    Error(WireError),
}

/// The second module's reply to `pods_from_text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PodsReply {
    /// The pods as a v1 `List` (JSON text) and the reader's notes.
    Pods {
        /// `{"apiVersion":"v1","kind":"List","items":[…]}`.
        list: String,
        /// The reader's notes (skipped objects, expanded workloads…).
        notes: Vec<String>,
    },
    /// Why the text could not be read (the reader's message, with its line).
    Error(String),
}

/// Reads a [`ScenarioReply`] back into a scenario (calculator side; JSON only).
pub fn scenario_of_reply(reply: &str) -> Result<Scenario, ScenarioError> {
    let reply: ScenarioReply = serde_json::from_str(reply).map_err(|e| ScenarioError {
        path: String::new(),
        line: None,
        message: format!("the YAML reader's reply: {e}"),
    })?;
    match reply {
        ScenarioReply::Scenario(json) => oomlens_core::scenario::parse_scenario_json(&json),
        ScenarioReply::Error(e) => Err(ScenarioError {
            path: e.path,
            line: e.line,
            message: e.message,
        }),
    }
}

/// Reads a [`PodsReply`] back into pods and notes (calculator side; JSON only).
pub fn pods_of_reply(reply: &str) -> Result<(Vec<Pod>, Vec<String>), String> {
    let reply: PodsReply =
        serde_json::from_str(reply).map_err(|e| format!("the YAML reader's reply: {e}"))?;
    match reply {
        PodsReply::Pods { list, notes } => {
            match oomlens_core::scenario::pod_reader::read_pods_json(&list) {
                Some(Ok(read)) => Ok((read.pods, notes)),
                Some(Err(e)) => Err(e.to_string()),
                None => Err("the YAML reader's reply is not JSON".into()),
            }
        }
        PodsReply::Error(e) => Err(e),
    }
}

/// Why a scenario text the user gave was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The text is not a valid scenario.
    Invalid(ScenarioError),
    /// The text is YAML, and the second module, which reads it, could not be had (the reason):
    /// the text may be good.
    ReaderUnavailable(String),
}

impl From<ReadError> for ScenarioError {
    fn from(e: ReadError) -> ScenarioError {
        match e {
            ReadError::Invalid(e) => e,
            ReadError::ReaderUnavailable(reason) => reader_unavailable(reason),
        }
    }
}

/// The error for a YAML text when the second module cannot be had.
fn reader_unavailable(reason: String) -> ScenarioError {
    ScenarioError {
        path: String::new(),
        line: None,
        message: format!("this scenario is YAML, and the part of the app that reads YAML could not load ({reason})"),
    }
}

/// Reads a scenario the user gave (YAML or JSON, like `parse_scenario`): JSON here, YAML in the
/// second module, started if needed and waited for at most `ms` milliseconds (0: no limit).
pub async fn read_scenario_within(text: &str, ms: u32) -> Result<Scenario, ReadError> {
    if oomlens_core::scenario::is_json(text) {
        return oomlens_core::scenario::parse_scenario_json(text).map_err(ReadError::Invalid);
    }
    match client::call_when_loaded_within("scenario_from_text", text, ms).await {
        Ok(reply) => scenario_of_reply(&reply).map_err(ReadError::Invalid),
        Err(reason) => Err(ReadError::ReaderUnavailable(reason)),
    }
}

/// [`read_scenario_within`] with no limit; a module that cannot load is an error naming why.
pub async fn read_scenario(text: &str) -> Result<Scenario, ScenarioError> {
    read_scenario_within(text, 0)
        .await
        .map_err(ScenarioError::from)
}

/// Reads pasted pods (like `read_pods_detailed`): JSON here, YAML in the second module.
pub async fn read_pods(text: &str) -> Result<(Vec<Pod>, Vec<String>), String> {
    if let Some(read) = oomlens_core::scenario::pod_reader::read_pods_json(text) {
        return read.map(|r| (r.pods, r.notes)).map_err(|e| e.to_string());
    }
    match client::call_when_loaded("pods_from_text", text).await {
        Ok(reply) => pods_of_reply(&reply),
        Err(reason) => Err(reader_unavailable(reason).message),
    }
}

/// The JSON text of example `id`: the default's is here, the others are in the second module.
pub async fn example_text(id: &str) -> Result<String, String> {
    use crate::pages::calculator::examples::DEFAULT_TEXT;
    if id == "default" {
        return Ok(DEFAULT_TEXT.to_string());
    }
    client::call_when_loaded("example_text", id).await
}
