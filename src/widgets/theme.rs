//! Chart colours for the light and dark themes. Charts are self-contained SVG (colours inline) so an
//! exported file looks like the page; every colour is paired with a text label in the chart, so
//! colour is never the only carrier of meaning.

use crate::widgets::charts::scene::RGBColor;

/// The palette a chart is drawn with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    /// Chart background.
    pub background: RGBColor,
    /// Main text and axes.
    pub text: RGBColor,
    /// Secondary text and grid lines.
    pub muted: RGBColor,
    /// Allocatable memory.
    pub allocatable: RGBColor,
    /// kube-reserved.
    pub kube_reserved: RGBColor,
    /// system-reserved.
    pub system_reserved: RGBColor,
    /// Sum of pod requests.
    pub requests: RGBColor,
    /// Sum of pod limits.
    pub limits: RGBColor,
    /// Observed usage.
    pub usage: RGBColor,
    /// Danger: over-commitment, hard thresholds, kills.
    pub danger: RGBColor,
    /// Warning: soft thresholds, evictions.
    pub warning: RGBColor,
}

impl Theme {
    /// The light palette (WCAG AA contrast for text on the background).
    pub const LIGHT: Theme = Theme {
        background: RGBColor(255, 255, 255),
        text: RGBColor(28, 32, 38),
        muted: RGBColor(95, 104, 116),
        allocatable: RGBColor(64, 145, 108),
        kube_reserved: RGBColor(110, 118, 200),
        system_reserved: RGBColor(150, 110, 170),
        requests: RGBColor(60, 120, 200),
        limits: RGBColor(140, 150, 165),
        usage: RGBColor(30, 80, 140),
        danger: RGBColor(196, 40, 40),
        warning: RGBColor(176, 106, 0),
    };

    /// The dark palette.
    pub const DARK: Theme = Theme {
        background: RGBColor(22, 25, 30),
        text: RGBColor(232, 236, 241),
        muted: RGBColor(160, 168, 180),
        allocatable: RGBColor(72, 170, 125),
        kube_reserved: RGBColor(128, 136, 225),
        system_reserved: RGBColor(175, 130, 200),
        requests: RGBColor(90, 155, 235),
        limits: RGBColor(120, 130, 145),
        usage: RGBColor(150, 200, 255),
        danger: RGBColor(255, 100, 100),
        warning: RGBColor(240, 180, 70),
    };

    /// The palette for a dark (`true`) or light page.
    pub fn for_dark(dark: bool) -> Theme {
        if dark {
            Theme::DARK
        } else {
            Theme::LIGHT
        }
    }
}

/// Whether the page is in dark mode: `<html data-theme="dark">` (or class `dark`) set by the app's
/// theme switch, else the system preference.
#[cfg(target_arch = "wasm32")]
pub fn page_is_dark() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    if let Some(root) = w.document().and_then(|d| d.document_element()) {
        match root.get_attribute("data-theme").as_deref() {
            Some("dark") => return true,
            Some("light") => return false,
            _ => {}
        }
        if root.class_list().contains("dark") {
            return true;
        }
        if root.class_list().contains("light") {
            return false;
        }
    }
    w.match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .map(|m| m.matches())
        .unwrap_or(false)
}
