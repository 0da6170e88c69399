//! Training mode's place in the URL: `#/learn` (the catalogue), `#/learn?lesson=ID&step=N` (a
//! lesson's step, 1-based in the URL so a trainer can read it out) or `#/learn?lesson=ID&handout=1`
//! (its printable handout).

/// Lesson and step (0-based).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Route {
    /// The lesson id, `None` for the catalogue.
    pub lesson: Option<String>,
    /// The step, 0-based.
    pub step: usize,
    /// The lesson's printable handout instead of a step.
    pub handout: bool,
}

impl Route {
    /// A lesson's step.
    pub fn lesson(id: &str, step: usize) -> Route {
        Route {
            lesson: Some(id.to_string()),
            step,
            handout: false,
        }
    }

    /// A lesson's handout.
    pub fn handout(id: &str) -> Route {
        Route {
            lesson: Some(id.to_string()),
            step: 0,
            handout: true,
        }
    }

    /// True when a fragment (without `#`) is training mode's.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn is_learn(fragment: &str) -> bool {
        let route = fragment.split('?').next().unwrap_or("");
        route.trim_matches('/') == "learn"
    }

    /// Reads a fragment (without `#`); anything unreadable is the catalogue, or step 1.
    pub fn parse(fragment: &str) -> Route {
        let Some((_, query)) = fragment.split_once('?') else {
            return Route::default();
        };
        let mut r = Route::default();
        for kv in query.split('&') {
            match kv.split_once('=') {
                Some(("lesson", id)) if !id.is_empty() => r.lesson = Some(id.to_string()),
                Some(("step", n)) => {
                    r.step = n.parse::<usize>().unwrap_or(1).saturating_sub(1);
                }
                Some(("handout", v)) => r.handout = v == "1",
                _ => {}
            }
        }
        r
    }

    /// The fragment (without `#`) that shows this route.
    pub fn fragment(&self) -> String {
        match &self.lesson {
            None => "/learn".to_string(),
            Some(id) if self.handout => format!("/learn?lesson={id}&handout=1"),
            Some(id) => format!("/learn?lesson={id}&step={}", self.step + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_read_back() {
        for r in [
            Route::default(),
            Route::lesson("limit-is-a-wall", 3),
            Route::handout("memory-qos"),
        ] {
            assert_eq!(Route::parse(&r.fragment()), r);
        }
        assert_eq!(
            Route::parse("/learn?step=2&lesson=x"),
            Route::lesson("x", 1)
        );
        assert_eq!(
            Route::parse("/learn?lesson=x&step=zero"),
            Route::lesson("x", 0)
        );
        assert_eq!(
            Route::parse("/learn?lesson=x&step=0"),
            Route::lesson("x", 0)
        );
        assert_eq!(Route::parse("/learn?lesson="), Route::default());
        assert!(Route::is_learn("/learn?lesson=x"));
        assert!(Route::is_learn("learn"));
        assert!(!Route::is_learn("/incident"));
    }
}
