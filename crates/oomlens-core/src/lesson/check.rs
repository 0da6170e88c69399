//! A lesson checked against the model: every asking step at every kubelet release it covers (or
//! the one release the step pins), the model's answer beside the author's expectation and the
//! choices the learner sees. `oomlens learn` prints it; the lesson tests require every row to
//! hold.

use super::question::{answer, choices};
use super::Lesson;
use crate::evaluation::evaluate;
use serde::Serialize;

/// One asking step at one release.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The step, 1-based (as the URL and the page count them).
    pub step: usize,
    /// The kubelet release evaluated.
    pub release: String,
    /// What the author expects.
    pub expect: String,
    /// The model's answer, or why there is none (the scenario does not evaluate, or the model
    /// has no answer to the question).
    pub answer: Result<String, String>,
    /// The choices the learner sees.
    pub choices: Vec<String>,
    /// True when the model answers what the author expects and exactly one of two or more
    /// distinct choices is that answer.
    pub holds: bool,
}

/// Checks every asking step of `lesson` at every release it covers.
pub fn check(lesson: &Lesson) -> Vec<Check> {
    let mut out = Vec::new();
    for (i, s) in lesson.steps.iter().enumerate() {
        let Some(ask) = &s.ask else { continue };
        let releases: Vec<String> = match &s.scenario.kubelet_version {
            Some(v) => vec![v.clone()],
            None => lesson.releases.clone(),
        };
        for release in releases {
            let mut sc = s.scenario.clone();
            sc.kubelet_version = Some(release.clone());
            let row = |answer, choices, holds| Check {
                step: i + 1,
                release: release.clone(),
                expect: ask.expect.clone(),
                answer,
                choices,
                holds,
            };
            let ev = match evaluate(&sc) {
                Ok(ev) => ev,
                Err(e) => {
                    out.push(row(Err(e.to_string()), Vec::new(), false));
                    continue;
                }
            };
            let offered = choices(&ask.kind, &ev, &ask.choices);
            let Some(r) = answer(&ask.kind, &ev) else {
                out.push(row(Err("the model has no answer".into()), offered, false));
                continue;
            };
            let right = offered.iter().filter(|c| r.matches(c)).count();
            let mut distinct = offered.clone();
            distinct.sort();
            distinct.dedup();
            let holds = r.matches(&ask.expect)
                && right == 1
                && offered.len() >= 2
                && distinct.len() == offered.len();
            out.push(row(Ok(r.value.clone()), offered, holds));
        }
    }
    out
}
