//! In-place updates for the calculator's long result lists (the pods results table, the kernel kill
//! order): a row is rendered once, then one effect per row compares what the row shows now with
//! what it showed and writes only the text or attribute that differs.
//!
//! Why: in Leptos every reactive closure is an effect the scheduler polls. A 110-pod node has ~330
//! result rows with ~14 changing values each; one effect per value made a node-memory keystroke poll
//! thousands of effects (~60% of the keystroke). One effect per row polls a few hundred, and the
//! values themselves are compared here, as plain data.

use leptos::prelude::*;
use leptos::tachys::html::element::ElementType;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::Element;

/// One value a row shows, written into one element.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// The element's text.
    Text(String),
    /// An attribute's value.
    Attr(&'static str, String),
    /// A size: binary units as text, `data-bytes` and `title` as [`crate::widgets::bytes::attrs`]
    /// gives them for the page language's word for "bytes".
    Bytes(Option<i64>, &'static str),
    /// Whether the element is hidden (the `hidden` attribute).
    Hidden(bool),
}

impl Val {
    fn apply(&self, el: &Element) {
        match self {
            Val::Text(s) => el.set_text_content(Some(s)),
            Val::Attr(name, s) => {
                let _ = el.set_attribute(name, s);
            }
            Val::Bytes(b, word) => {
                let (data, title) = crate::widgets::bytes::attrs(*b, word);
                let _ = el.set_attribute("data-bytes", &data);
                let _ = el.set_attribute("title", &title);
                el.set_text_content(Some(&crate::widgets::bytes::human(*b)));
            }
            Val::Hidden(h) => {
                if *h {
                    let _ = el.set_attribute("hidden", "");
                } else {
                    let _ = el.remove_attribute("hidden");
                }
            }
        }
    }
}

/// A row's first values, read by position while its view is built (`text(i)` is the text of a
/// `Text` or `Attr` value, `bytes(i)` the size of a `Bytes`, `hidden(i)` a `Hidden(true)`).
pub struct Init<'a>(pub &'a [Val]);

impl Init<'_> {
    /// The text of value `i` (empty when it is no text).
    pub fn text(&self, i: usize) -> String {
        match self.0.get(i) {
            Some(Val::Text(s)) | Some(Val::Attr(_, s)) => s.clone(),
            _ => String::new(),
        }
    }

    /// The size of value `i`.
    pub fn bytes(&self, i: usize) -> Option<i64> {
        match self.0.get(i) {
            Some(Val::Bytes(b, _)) => *b,
            _ => None,
        }
    }

    /// Whether value `i` hides its element.
    pub fn hidden(&self, i: usize) -> bool {
        matches!(self.0.get(i), Some(Val::Hidden(true)))
    }
}

/// Where a [`Val`] goes: an element of the row, found through its node reference.
pub type Slot = Box<dyn Fn() -> Option<Element>>;

/// The slot of the element behind `r`.
pub fn slot<E>(r: NodeRef<E>) -> Slot
where
    E: ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
{
    Box::new(move || r.get_untracked().map(|e| e.unchecked_into::<Element>()))
}

/// Keeps a rendered row up to date: `compute` gives the row's values (reading whatever signals the
/// row depends on), `shown` is what the first render wrote. On every change the values that differ
/// are written into their slots (`slots[i]` receives `values[i]`).
pub fn patch_row(slots: Vec<Slot>, shown: Vec<Val>, compute: impl Fn() -> Vec<Val> + 'static) {
    let mut shown = shown;
    Effect::new(move |_| {
        let now = compute();
        for (i, v) in now.iter().enumerate() {
            if shown.get(i) != Some(v) {
                if let Some(el) = slots.get(i).and_then(|s| s()) {
                    v.apply(&el);
                }
            }
        }
        shown = now;
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_reads_values_by_position() {
        let v = [
            Val::Text("a".into()),
            Val::Attr("title", "b".into()),
            Val::Bytes(Some(5), "bytes"),
            Val::Hidden(true),
            Val::Hidden(false),
        ];
        let init = Init(&v);
        assert_eq!(
            (init.text(0), init.text(1), init.text(2)),
            ("a".into(), "b".into(), String::new())
        );
        assert_eq!(
            (init.bytes(2), init.bytes(0), init.bytes(9)),
            (Some(5), None, None)
        );
        assert!(init.hidden(3) && !init.hidden(4) && !init.hidden(0));
    }
}
