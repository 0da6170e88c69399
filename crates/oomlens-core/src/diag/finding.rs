//! A conclusion the readers draw from a paste, with its severity and the lines that prove it.
//! Its sentence and its advice are [`Message`]s (catalogue id + typed arguments): English comes
//! from the core's catalogue, other languages translate by id.

use crate::base::message::Message;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

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
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// What the paste shows (its id is the finding's stable id, e.g. `oom.container_limit`).
    pub message: Message,
    /// What to do about it, if anything.
    pub advice: Option<Message>,
    /// Evidence lines, 1-based.
    pub lines: Vec<usize>,
}

impl Finding {
    /// A finding without advice; `lines` are 1-based evidence lines.
    pub fn new(severity: Severity, message: Message, lines: Vec<usize>) -> Finding {
        Finding {
            severity,
            message,
            advice: None,
            lines,
        }
    }

    /// Sets what to do about it.
    pub fn advice(mut self, advice: Message) -> Finding {
        self.advice = Some(advice);
        self
    }

    /// The stable id (the message's).
    pub fn id(&self) -> &'static str {
        self.message.id
    }

    /// The sentence in English.
    pub fn english(&self) -> String {
        self.message.english()
    }

    /// The advice in English (empty when there is none).
    pub fn advice_english(&self) -> String {
        self.advice
            .as_ref()
            .map(Message::english)
            .unwrap_or_default()
    }
}

/// The JSON contract (docs/explain-json.md): `id`, `message` and `advice` in English, the
/// message's typed `args`, and `advice_message` (the advice's id and arguments) for translation.
impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Finding", 7)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("id", self.message.id)?;
        st.serialize_field("message", &self.message.english())?;
        st.serialize_field("args", &self.message.args)?;
        st.serialize_field("advice", &self.advice_english())?;
        st.serialize_field("advice_message", &self.advice)?;
        st.serialize_field("lines", &self.lines)?;
        st.end()
    }
}
