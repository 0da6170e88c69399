//! In-place updates for the calculator's long result lists (the pods results table, the kernel kill
//! order): a row is rendered once, then one effect per row compares what the row shows now with
//! what it showed and writes only the text or attribute that differs.
//!
//! Why: in Leptos every reactive closure is an effect the scheduler polls. A 110-pod node has ~330
//! result rows with ~14 changing values each; one effect per value made a node-memory keystroke poll
//! thousands of effects (~60% of the keystroke). One effect per row polls a few hundred, and the
//! values themselves are compared here, as plain data.
//!
//! A row declares its cells with [`cells!`]: a struct of named [`Val`]s (what the row shows) and a
//! struct of the same names holding the element each value is written into.

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
    /// The element's text, and whether it is hidden (the `hidden` attribute).
    Flag(String, bool),
    /// A "why" button: its `aria-label`, and whether it is hidden.
    Why(String, bool),
}

fn set_hidden(el: &Element, hidden: bool) {
    if hidden {
        let _ = el.set_attribute("hidden", "");
    } else {
        let _ = el.remove_attribute("hidden");
    }
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
            Val::Flag(s, hidden) => {
                el.set_text_content(Some(s));
                set_hidden(el, *hidden);
            }
            Val::Why(label, hidden) => {
                let _ = el.set_attribute("aria-label", label);
                set_hidden(el, *hidden);
            }
        }
    }

    /// The text of a `Text`, `Attr`, `Flag` or `Why` value (for the first render).
    pub fn text(&self) -> String {
        match self {
            Val::Text(s) | Val::Attr(_, s) | Val::Flag(s, _) | Val::Why(s, _) => s.clone(),
            Val::Bytes(..) => String::new(),
        }
    }

    /// The size of a `Bytes` value.
    pub fn bytes(&self) -> Option<i64> {
        match self {
            Val::Bytes(b, _) => *b,
            _ => None,
        }
    }

    /// Whether a `Flag` or `Why` value hides its element.
    pub fn hidden(&self) -> bool {
        matches!(self, Val::Flag(_, true) | Val::Why(_, true))
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

/// Writes `now` into `slot`'s element when it differs from `shown`.
pub fn write_if_changed(now: &Val, shown: &Val, slot: &Slot) {
    if now != shown {
        if let Some(el) = slot() {
            now.apply(&el);
        }
    }
}

/// The cells of a row: named values, each written into the element of the same name in
/// [`Cells::Slots`]. Implemented by [`cells!`].
pub trait Cells: PartialEq + 'static {
    /// The elements, by the same names.
    type Slots: 'static;
    /// Writes every value that differs from `shown` into its element.
    fn write_changed(&self, shown: &Self, slots: &Self::Slots);
}

/// Declares a row's cells: `cells!(Name, NameSlots { a, b, … })` makes `Name` (one pub [`Val`] per
/// name, what the row shows) and `NameSlots` (one pub [`Slot`] per name, where it goes) and
/// implements [`Cells`] for them.
macro_rules! cells {
    ($(#[$doc:meta])* $name:ident, $slots:ident { $($field:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $(#[allow(missing_docs)] pub $field: $crate::widgets::patch::Val,)*
        }

        /// The element each value is written into, by the same names.
        pub struct $slots {
            $(#[allow(missing_docs)] pub $field: $crate::widgets::patch::Slot,)*
        }

        impl $crate::widgets::patch::Cells for $name {
            type Slots = $slots;
            fn write_changed(&self, shown: &Self, slots: &$slots) {
                $($crate::widgets::patch::write_if_changed(&self.$field, &shown.$field, &slots.$field);)*
            }
        }
    };
}
pub(crate) use cells;

/// Keeps a rendered row up to date: `compute` gives the row's cells (reading whatever signals the
/// row depends on), `shown` is what the first render wrote. On every change the cells that differ
/// are written into their elements.
pub fn patch_row<C: Cells>(slots: C::Slots, shown: C, compute: impl Fn() -> C + 'static) {
    let mut shown = shown;
    Effect::new(move |_| {
        let now = compute();
        now.write_changed(&shown, &slots);
        shown = now;
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_give_their_first_render() {
        assert_eq!(Val::Text("a".into()).text(), "a");
        assert_eq!(Val::Attr("title", "b".into()).text(), "b");
        assert_eq!(Val::Why("why".into(), true).text(), "why");
        assert_eq!(Val::Bytes(Some(5), "bytes").text(), "");
        assert_eq!(Val::Bytes(Some(5), "bytes").bytes(), Some(5));
        assert_eq!(Val::Text("5".into()).bytes(), None);
        assert!(Val::Flag("x".into(), true).hidden() && Val::Why(String::new(), true).hidden());
        assert!(!Val::Flag("x".into(), false).hidden() && !Val::Text("x".into()).hidden());
    }

    cells!(
        /// A test row.
        TestCells,
        TestSlots { a, b }
    );

    /// Only the cells that changed are written, each into its own element.
    #[test]
    fn only_changed_cells_are_written() {
        use std::cell::RefCell;
        use std::rc::Rc;
        let asked: Rc<RefCell<Vec<&str>>> = Rc::default();
        let slot_of = |name: &'static str| -> Slot {
            let asked = Rc::clone(&asked);
            Box::new(move || {
                asked.borrow_mut().push(name);
                None
            })
        };
        let slots = TestSlots {
            a: slot_of("a"),
            b: slot_of("b"),
        };
        let shown = TestCells {
            a: Val::Text("1".into()),
            b: Val::Text("2".into()),
        };
        let now = TestCells {
            a: Val::Text("1".into()),
            b: Val::Text("3".into()),
        };
        now.write_changed(&shown, &slots);
        assert_eq!(*asked.borrow(), vec!["b"]);
    }
}
