//! Training lessons: short stories in steps, each step a scenario (the calculator's format) and,
//! at key steps, a question the learner answers before the model's answer is shown.
//!
//! A lesson file states the inputs, the question and what its author expects; the answer shown is
//! always the model's ([`question::answer`] on [`crate::evaluate`]), never text from the file.
//! `tests/it/lessons.rs` fails when the model's answer differs from the author's for any kubelet
//! release the lesson claims to cover.
//!
//! The format (YAML):
//!
//! ```yaml
//! id: limit-is-a-wall
//! level: beginner            # beginner | intermediate | advanced
//! minutes: 5
//! releases: ["1.28", "1.34"] # kubelet releases the answers hold for
//! title: {en: …, zh: …}
//! question: {en: …, zh: …}   # what the lesson answers, shown in the catalogue
//! sources: [https://…]
//! steps:
//!   - title: {en: …, zh: …}
//!     text: {en: …, zh: …}
//!     scenario: {…}          # the first step: a whole scenario
//!   - title: …
//!     text: …
//!     patch: {usage: {…}}    # later steps: an RFC 7396 merge patch of the previous step's scenario
//!     ask:
//!       kind: first_mechanism
//!       prompt: {en: …, zh: …}
//!       expect: limit
//!       explain: {en: …, zh: …} # shown with the answer; printed only in the handout's key
//! ```
//! A step whose scenario sets `kubeletVersion` is pinned to that release; the others are
//! evaluated for each release in `releases`.

pub mod check;
pub mod question;

use crate::kubelet::rules::KubeletVersion;
use crate::scenario::{scenario_from_value, Scenario};
use serde::Serialize;
use serde_yaml_ng::{Mapping, Value};

pub use check::{check, Check};
pub use question::{answer, choices, AskKind, Family, Reveal};

/// Text in both languages of the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Text {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    pub zh: String,
}

/// How much a learner should know already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Knows what a pod and a container are.
    Beginner,
    /// Knows requests, limits and QoS.
    Intermediate,
    /// Knows cgroups.
    Advanced,
}

/// A question asked before a step's answer is revealed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ask {
    /// What is asked, and of whom.
    pub kind: AskKind,
    /// The question as the learner reads it.
    pub prompt: Text,
    /// What the author expects the model to answer (checked by the tests, never shown as the
    /// answer).
    pub expect: String,
    /// The author's choices for numeric questions (the model's answer must be one of them).
    pub choices: Vec<String>,
    /// The author's explanation of the answer: shown beside the model's answer once revealed,
    /// and printed only in a handout's answer key (never in a step's story).
    pub explain: Text,
}

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Heading.
    pub title: Text,
    /// The paragraph that explains the step.
    pub text: Text,
    /// The step's inputs (the previous step's with the patch applied).
    pub scenario: Scenario,
    /// The step's scenario as a document (for "Try it yourself" and the comparison).
    #[serde(skip)]
    pub document: Value,
    /// The question, when the step asks one.
    pub ask: Option<Ask>,
}

/// A whole lesson.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lesson {
    /// Stable id (the URL's `s=`).
    pub id: String,
    /// Level.
    pub level: Level,
    /// Minutes a class needs.
    pub minutes: u32,
    /// Kubelet releases the answers hold for (oldest first).
    pub releases: Vec<String>,
    /// Title.
    pub title: Text,
    /// The question the lesson answers.
    pub question: Text,
    /// Where the facts come from (public URLs).
    pub sources: Vec<String>,
    /// Steps (4 to 8).
    pub steps: Vec<Step>,
}

impl Lesson {
    /// The release a step is evaluated at when shown: its own pinned release, else the newest
    /// release the lesson covers.
    pub fn shown_scenario(&self, step: usize) -> Option<Scenario> {
        let s = self.steps.get(step)?;
        let mut sc = s.scenario.clone();
        if sc.kubelet_version.is_none() {
            sc.kubelet_version = self.releases.last().cloned();
        }
        Some(sc)
    }
}

/// An error in a lesson file, naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    /// Field path, e.g. `steps[2].ask.kind`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

fn err(path: impl Into<String>, message: impl Into<String>) -> LessonError {
    LessonError {
        path: path.into(),
        message: message.into(),
    }
}

fn field<'a>(m: &'a Mapping, key: &str, path: &str) -> Result<&'a Value, LessonError> {
    m.get(key)
        .ok_or_else(|| err(join(path, key), "missing".to_string()))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn string(v: &Value, path: &str) -> Result<String, LessonError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(err(path, "expected text")),
    }
}

/// A list of texts at `path` (`expected` says what the list should be when it is not one); an
/// item that is not text is named by its index.
fn strings(v: &Value, path: &str, expected: &str) -> Result<Vec<String>, LessonError> {
    let Value::Sequence(items) = v else {
        return Err(err(path, expected));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, x)| string(x, &format!("{path}[{i}]")))
        .collect()
}

fn text(v: &Value, path: &str) -> Result<Text, LessonError> {
    let m = v
        .as_mapping()
        .ok_or_else(|| err(path, "expected {en: …, zh: …}"))?;
    let en = string(field(m, "en", path)?, &join(path, "en"))?;
    let zh = string(field(m, "zh", path)?, &join(path, "zh"))?;
    Ok(Text { en, zh })
}

/// RFC 7396 JSON merge patch: mappings merge key by key, `null` removes, anything else replaces.
fn merge(target: &mut Value, patch: &Value) {
    let Value::Mapping(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_mapping() {
        *target = Value::Mapping(Mapping::new());
    }
    if let Value::Mapping(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

const LESSON_KEYS: [&str; 9] = [
    "id", "level", "minutes", "releases", "title", "question", "sources", "steps", "comment",
];
const STEP_KEYS: [&str; 5] = ["title", "text", "scenario", "patch", "ask"];
const ASK_KEYS: [&str; 7] = [
    "kind", "prompt", "expect", "choices", "target", "claim", "explain",
];
const CLAIM_KEYS: [&str; 3] = ["kind", "target", "value"];

fn target_of(m: &Mapping, path: &str) -> Result<Option<String>, LessonError> {
    m.get("target")
        .map(|t| string(t, &join(path, "target")))
        .transpose()
}

/// `claim: {kind, target, value}` of a true/false question.
fn read_claim(v: &Value, path: &str) -> Result<AskKind, LessonError> {
    let m = v
        .as_mapping()
        .ok_or_else(|| err(path, "expected {kind: …, target: …, value: …}"))?;
    known_keys(m, &CLAIM_KEYS, path)?;
    let kind = string(field(m, "kind", path)?, &join(path, "kind"))?;
    if kind == "true_false" {
        return Err(err(
            join(path, "kind"),
            "a claim cannot be another true_false",
        ));
    }
    let claim =
        AskKind::from_parts(&kind, target_of(m, path)?).map_err(|e| err(join(path, "kind"), e))?;
    let value = string(field(m, "value", path)?, &join(path, "value"))?;
    Ok(AskKind::TrueFalse {
        claim: Box::new(claim),
        value,
    })
}

fn known_keys(m: &Mapping, keys: &[&str], path: &str) -> Result<(), LessonError> {
    for k in m.keys() {
        let name = k.as_str().unwrap_or("?");
        if !keys.contains(&name) {
            return Err(err(
                join(path, name),
                format!("unknown key: expected {}", keys.join(", ")),
            ));
        }
    }
    Ok(())
}

fn read_ask(v: &Value, path: &str) -> Result<Ask, LessonError> {
    let m = v
        .as_mapping()
        .ok_or_else(|| err(path, "expected a mapping"))?;
    known_keys(m, &ASK_KEYS, path)?;
    let kind_name = string(field(m, "kind", path)?, &join(path, "kind"))?;
    let kind = if kind_name == "true_false" {
        read_claim(field(m, "claim", path)?, &join(path, "claim"))?
    } else {
        AskKind::from_parts(&kind_name, target_of(m, path)?)
            .map_err(|e| err(join(path, "kind"), e))?
    };
    let prompt = text(field(m, "prompt", path)?, &join(path, "prompt"))?;
    let expect = string(field(m, "expect", path)?, &join(path, "expect"))?;
    let choices = match m.get("choices") {
        None => Vec::new(),
        Some(v) => strings(v, &join(path, "choices"), "expected a list")?,
    };
    let explain = text(field(m, "explain", path)?, &join(path, "explain"))?;
    Ok(Ask {
        kind,
        prompt,
        expect,
        choices,
        explain,
    })
}

/// Reads a lesson file.
pub fn parse_lesson(source: &str) -> Result<Lesson, LessonError> {
    let doc: Value =
        serde_yaml_ng::from_str(source).map_err(|e| err("", format!("invalid YAML: {e}")))?;
    let m = doc
        .as_mapping()
        .ok_or_else(|| err("", "expected a mapping at the top level"))?;
    known_keys(m, &LESSON_KEYS, "")?;
    let id = string(field(m, "id", "")?, "id")?;
    let level = match string(field(m, "level", "")?, "level")?.as_str() {
        "beginner" => Level::Beginner,
        "intermediate" => Level::Intermediate,
        "advanced" => Level::Advanced,
        other => {
            return Err(err(
                "level",
                format!("{other}: expected beginner, intermediate or advanced"),
            ))
        }
    };
    let minutes = field(m, "minutes", "")?
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| err("minutes", "expected a whole number"))?;
    let releases = strings(
        field(m, "releases", "")?,
        "releases",
        "expected a list of kubelet releases",
    )?;
    if releases.is_empty() {
        return Err(err("releases", "name at least one kubelet release"));
    }
    for (i, r) in releases.iter().enumerate() {
        KubeletVersion::parse(r).map_err(|e| err(format!("releases[{i}]"), e))?;
    }
    let sources = match m.get("sources") {
        None => Vec::new(),
        Some(v) => strings(v, "sources", "expected a list of URLs")?,
    };
    let Value::Sequence(raw_steps) = field(m, "steps", "")? else {
        return Err(err("steps", "expected a list of steps"));
    };
    let mut steps = Vec::with_capacity(raw_steps.len());
    let mut previous: Option<Value> = None;
    for (i, s) in raw_steps.iter().enumerate() {
        let path = format!("steps[{i}]");
        let sm = s
            .as_mapping()
            .ok_or_else(|| err(&path, "expected a mapping"))?;
        known_keys(sm, &STEP_KEYS, &path)?;
        let document = match (sm.get("scenario"), sm.get("patch"), previous.take()) {
            (Some(sc), None, _) => sc.clone(),
            (None, Some(p), Some(mut prev)) => {
                merge(&mut prev, p);
                prev
            }
            (None, None, Some(prev)) => prev,
            (Some(_), Some(_), _) => {
                return Err(err(&path, "give either `scenario` or `patch`, not both"))
            }
            (None, _, None) => {
                return Err(err(
                    join(&path, "scenario"),
                    "the first step needs a whole scenario",
                ))
            }
        };
        let scenario = scenario_from_value(&document)
            .map_err(|e| err(format!("{path}.scenario.{}", e.path), e.message))?;
        let ask = match sm.get("ask") {
            Some(a) => Some(read_ask(a, &join(&path, "ask"))?),
            None => None,
        };
        steps.push(Step {
            title: text(field(sm, "title", &path)?, &join(&path, "title"))?,
            text: text(field(sm, "text", &path)?, &join(&path, "text"))?,
            scenario,
            document: document.clone(),
            ask,
        });
        previous = Some(document);
    }
    Ok(Lesson {
        id,
        level,
        minutes,
        releases,
        title: text(field(m, "title", "")?, "title")?,
        question: text(field(m, "question", "")?, "question")?,
        sources,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut t: Value = serde_yaml_ng::from_str("{a: 1, b: {c: 2, d: 3}, e: [1]}").unwrap();
        let p: Value = serde_yaml_ng::from_str("{a: null, b: {c: 5}, e: [2, 3], f: x}").unwrap();
        merge(&mut t, &p);
        let want: Value = serde_yaml_ng::from_str("{b: {c: 5, d: 3}, e: [2, 3], f: x}").unwrap();
        assert_eq!(t, want);
    }

    #[test]
    fn errors_name_the_field() {
        let e = parse_lesson("id: x\nlevel: expert\n").unwrap_err();
        assert_eq!(e.path, "level");
        let e = parse_lesson("id: x\nlevel: beginner\nminutes: 3\nreleases: [\"1.99x\"]\n")
            .unwrap_err();
        assert_eq!(e.path, "releases[0]");
        let e = parse_lesson("[1, 2]").unwrap_err();
        assert_eq!(e.path, "");
    }
}
