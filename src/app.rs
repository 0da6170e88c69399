//! The app shell: header (name, navigation, language and theme switches), hash routing between the
//! pages, and the footer. It holds no model logic: each page owns its state and reads the core.
//!
//! Routing is by URL fragment so that a static host (GitHub Pages) serves every route from one
//! `index.html` and nothing about the route reaches a server: `#/calculator` (the default) and
//! `#/incident`. Anything after `?` in the fragment belongs to the page (the calculator keeps its
//! share link there). Both pages stay mounted and the inactive one is `hidden`, so switching pages
//! never loses what the user typed or pasted.

use crate::i18n::{self, Lang};
use crate::pages::calculator::CalculatorPage;
use leptos::prelude::*;

/// Local-storage key of the language the user chose (a BCP-47 tag).
const LANG_KEY: &str = "oomlens.lang";
/// Local-storage key of the colour scheme the user chose (`light` or `dark`).
const THEME_KEY: &str = "oomlens.theme";

/// A page of the app, addressed by the URL fragment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    /// The node memory calculator (`#/calculator`, the default).
    Calculator,
    /// The incident analysis page (`#/incident`).
    Incident,
    /// Training mode: guided lessons (`#/learn`).
    Learn,
}

impl Page {
    /// Every page, in navigation order.
    pub const ALL: [Page; 3] = [Page::Calculator, Page::Incident, Page::Learn];

    /// The route name in the fragment (`calculator`, `incident`).
    pub fn slug(self) -> &'static str {
        match self {
            Page::Calculator => "calculator",
            Page::Incident => "incident",
            Page::Learn => "learn",
        }
    }

    /// The link to the page (`#/calculator`).
    pub fn href(self) -> &'static str {
        match self {
            Page::Calculator => "#/calculator",
            Page::Incident => "#/incident",
            Page::Learn => "#/learn",
        }
    }

    /// The catalogue key of the page's navigation label.
    fn nav_key(self) -> &'static str {
        match self {
            Page::Calculator => "nav.calculator",
            Page::Incident => "nav.incident",
            Page::Learn => "nav.learn",
        }
    }

    /// The catalogue key of the document title while the page is shown.
    fn title_key(self) -> &'static str {
        match self {
            Page::Calculator => "app.title.calculator",
            Page::Incident => "app.title.incident",
            Page::Learn => "app.title.learn",
        }
    }

    fn from_slug(slug: &str) -> Option<Page> {
        Page::ALL.into_iter().find(|p| p.slug() == slug)
    }

    /// The page a location shows: the fragment route (`#/incident`, `#incident`, `#/incident?…`)
    /// wins; without a known one, the last path segment (`/oomlens/incident`, as when a static host
    /// answers a deep link with `404.html`); else the calculator.
    pub fn from_location(hash: &str, pathname: &str) -> Page {
        let route = hash.strip_prefix('#').unwrap_or(hash);
        let route = route.split(['?', '&']).next().unwrap_or("");
        let route = route.trim_matches('/');
        if let Some(page) = Page::from_slug(route) {
            return page;
        }
        let last = pathname
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        let last = last.strip_suffix(".html").unwrap_or(last);
        Page::from_slug(last).unwrap_or(Page::Calculator)
    }
}

/// The page's colour scheme, written to `<html data-theme>` (style/base.css keys off it; the chart
/// palette in `widgets::theme` reads it too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColorScheme {
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
}

impl ColorScheme {
    /// The `data-theme` attribute value.
    pub fn attr(self) -> &'static str {
        match self {
            ColorScheme::Light => "light",
            ColorScheme::Dark => "dark",
        }
    }

    /// Reads a stored `data-theme` value.
    pub fn parse(s: &str) -> Option<ColorScheme> {
        match s {
            "light" => Some(ColorScheme::Light),
            "dark" => Some(ColorScheme::Dark),
            _ => None,
        }
    }

    /// The other scheme.
    pub fn toggled(self) -> ColorScheme {
        match self {
            ColorScheme::Light => ColorScheme::Dark,
            ColorScheme::Dark => ColorScheme::Light,
        }
    }
}

/// The colour-scheme signal the shell provides (light if called outside the app). Components that
/// draw (charts) read it so they redraw when the user switches theme.
#[allow(
    dead_code,
    reason = "API for the pages: charts subscribe to theme switches through it"
)]
pub fn use_color_scheme() -> RwSignal<ColorScheme> {
    use_context::<RwSignal<ColorScheme>>().unwrap_or_else(|| RwSignal::new(ColorScheme::Light))
}

/// The language to start in: the user's stored choice, else the browser's language.
fn initial_lang() -> Lang {
    browser::storage_get(LANG_KEY)
        .or_else(browser::navigator_language)
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or(Lang::En)
}

/// The colour scheme to start in: the user's stored choice, else the system preference.
fn initial_scheme() -> ColorScheme {
    browser::storage_get(THEME_KEY)
        .and_then(|s| ColorScheme::parse(&s))
        .unwrap_or(if browser::prefers_dark() {
            ColorScheme::Dark
        } else {
            ColorScheme::Light
        })
}

/// The root component: provides i18n and the colour scheme, routes by fragment. `lang` is the
/// language to start in (its text already loaded).
#[component]
pub fn App(lang: Lang) -> impl IntoView {
    let i18n = i18n::provide_i18n(lang);
    let scheme = RwSignal::new(initial_scheme());
    provide_context(scheme);
    let page = RwSignal::new(browser::current_page());
    // The shell lives as long as the document, so the listener is never removed.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        page.set(browser::current_page())
    });

    Effect::new(move |_| {
        let lang = i18n.lang.get();
        browser::set_root_attr("lang", lang.tag());
        browser::set_title(i18n::lookup(lang, page.get().title_key()));
    });
    Effect::new(move |_| browser::set_root_attr("data-theme", scheme.get().attr()));

    // Chinese is fetched the first time it is chosen; the switch happens once it is here, and the
    // choice is stored then (an offline page without it stays in English rather than showing half a
    // translation). Clicks while it loads are ignored.
    let loading_lang = RwSignal::new(false);
    let switch_lang = move |_| {
        if loading_lang.get_untracked() {
            return;
        }
        let next = match i18n.lang.get_untracked() {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        };
        #[cfg(target_arch = "wasm32")]
        if next == Lang::Zh && !i18n::registry::has_zh() {
            loading_lang.set(true);
            leptos::task::spawn_local(async move {
                if i18n::zh_text::fetch_and_install(true).await.is_ok() {
                    browser::storage_set(LANG_KEY, next.tag());
                    i18n.lang.set(Lang::Zh);
                }
                loading_lang.set(false);
            });
            return;
        }
        browser::storage_set(LANG_KEY, next.tag());
        i18n.lang.set(next);
    };
    // The incident page and training mode are in the second module, loaded the first time one of
    // them is shown (`boot.js` listens; `LaterPage` shows a failure to load it).
    Effect::new(move |_| match page.get() {
        Page::Incident => browser::request_module("oomlens:need-incident"),
        Page::Learn => browser::request_module("oomlens:need-learn"),
        Page::Calculator => {}
    });
    let switch_scheme = move |_| {
        let next = scheme.get_untracked().toggled();
        browser::storage_set(THEME_KEY, next.attr());
        scheme.set(next);
    };
    let scheme_label = move || match scheme.get() {
        ColorScheme::Light => i18n.t("theme.to_dark"),
        ColorScheme::Dark => i18n.t("theme.to_light"),
    };
    let scheme_title = move || match scheme.get() {
        ColorScheme::Light => i18n.t("theme.to_dark_title"),
        ColorScheme::Dark => i18n.t("theme.to_light_title"),
    };

    let nav_links = Page::ALL
        .into_iter()
        .map(|p| {
            view! {
                <a
                    href=p.href()
                    data-testid=format!("nav-{}", p.slug())
                    aria-current=move || (page.get() == p).then_some("page")
                >
                    {move || i18n.t(p.nav_key())}
                </a>
            }
        })
        .collect_view();

    view! {
        <a class="skip-link" href="#main" on:click=|ev| {
            // A plain "#main" link would change the fragment route; focus the element instead.
            ev.prevent_default();
            browser::focus_main();
        }>{move || i18n.t("app.skip_to_main")}</a>
        <header class="app-header" data-testid="app-header">
            <a class="brand" href=Page::Calculator.href()>
                <span class="brand-name">{move || i18n.t("app.name")}</span>
                <span class="brand-tagline">{move || i18n.t("app.tagline")}</span>
            </a>
            <nav class="app-nav" aria-label=move || i18n.t("nav.label")>{nav_links}</nav>
            <div class="shell-controls">
                <button
                    type="button"
                    data-testid="lang-switch"
                    lang=move || match i18n.lang.get() {
                        Lang::En => Lang::Zh.tag(),
                        Lang::Zh => Lang::En.tag(),
                    }
                    title=move || i18n.t("lang.switch_title")
                    aria-busy=move || loading_lang.get().then_some("true")
                    on:click=switch_lang
                >
                    {move || i18n.t("lang.switch")}
                </button>
                <button
                    type="button"
                    data-testid="theme-switch"
                    title=scheme_title
                    aria-label=scheme_title
                    on:click=switch_scheme
                >
                    {scheme_label}
                </button>
            </div>
        </header>
        <main id="main" class="app-main" tabindex="-1" data-testid="page" data-page=move || page.get().slug()>
            <div data-route="calculator" hidden=move || page.get() != Page::Calculator>
                <CalculatorPage/>
            </div>
            <LaterPage page=Page::Incident current=page loading_key="app.loading_incident" failed_key="app.incident_failed"/>
            <LaterPage page=Page::Learn current=page loading_key="app.loading_learn" failed_key="app.learn_failed"/>
        </main>
        <footer class="app-footer">
            <span>{move || i18n.t("footer.privacy")}</span>
            <span>
                {move || i18n.tf("footer.version", &[("version", env!("CARGO_PKG_VERSION").to_string())])}
            </span>
        </footer>
    }
}

/// The few browser calls the shell makes; each degrades quietly (private mode, blocked storage).
/// A page of the second module: the placeholder it mounts into (`#<slug>-root`) with a loading
/// notice, or why it could not be loaded (`boot.js` says so with `oomlens:<slug>-failed`).
#[component]
fn LaterPage(
    page: Page,
    current: RwSignal<Page>,
    loading_key: &'static str,
    failed_key: &'static str,
) -> impl IntoView {
    let i18n = i18n::use_i18n();
    let slug = page.slug();
    let failed = RwSignal::new(None::<String>);
    let _ = window_event_listener_untyped(&format!("oomlens:{slug}-failed"), move |ev| {
        let detail = js_sys::Reflect::get(&ev, &"detail".into())
            .ok()
            .and_then(|d| d.as_string())
            .unwrap_or_default();
        failed.set(Some(detail));
    });
    view! {
        <div data-route=slug hidden=move || current.get() != page>
            // The second module mounts the page here and removes the notice.
            <div id=format!("{slug}-root")>
                <p id=format!("{slug}-loading") class="boot" role="status" class:boot-failed=move || failed.get().is_some()>
                    {move || match failed.get() {
                        None => i18n.t(loading_key),
                        Some(reason) => i18n.tf(failed_key, &[("reason", reason)]),
                    }}
                </p>
            </div>
        </div>
    }
}

mod browser {
    use super::Page;
    use leptos::prelude::*;

    pub fn current_page() -> Page {
        let location = window().location();
        let hash = location.hash().unwrap_or_default();
        let path = location.pathname().unwrap_or_default();
        Page::from_location(&hash, &path)
    }

    pub fn storage_get(key: &str) -> Option<String> {
        window()
            .local_storage()
            .ok()
            .flatten()?
            .get_item(key)
            .ok()
            .flatten()
    }

    pub fn storage_set(key: &str, value: &str) {
        if let Ok(Some(storage)) = window().local_storage() {
            // A full or blocked storage only loses the preference, never the app.
            let _ = storage.set_item(key, value);
        }
    }

    pub fn navigator_language() -> Option<String> {
        window().navigator().language()
    }

    pub fn prefers_dark() -> bool {
        window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .map(|m| m.matches())
            .unwrap_or(false)
    }

    pub fn set_root_attr(name: &str, value: &str) {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute(name, value);
        }
    }

    pub fn set_title(title: &str) {
        document().set_title(title);
    }

    pub fn focus_main() {
        use leptos::wasm_bindgen::JsCast;
        if let Some(main) = document().get_element_by_id("main") {
            if let Ok(main) = main.dyn_into::<leptos::web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    }

    /// Asks `boot.js` to load the second module and mount a page of it (`oomlens:need-incident`,
    /// `oomlens:need-learn`; once, later calls are ignored there).
    pub fn request_module(event: &str) {
        if let Ok(ev) = leptos::web_sys::Event::new(event) {
            let _ = window().dispatch_event(&ev);
        }
    }

    /// Removes the "Loading…" notice that index.html shows until the app has mounted.
    pub fn remove_boot_notice() {
        if let Some(boot) = document().get_element_by_id("boot") {
            boot.remove();
        }
    }
}

/// Registers the calculator module's text, then mounts the app on `<body>` and removes the loading
/// notice; when the user's language is Chinese, after its text has arrived (`zh.txt`, whose fetch
/// `boot.js` started beside the wasm), or in English when it cannot be had; when the visit starts
/// from a share link or from YAML, after it has been read.
pub fn mount() {
    for table in i18n::CALCULATOR_TABLES {
        i18n::registry::register(Lang::En, table);
    }
    i18n::registry::register_messages_en(oomlens_core::base::message::MODEL);
    let lang = initial_lang();
    let start = |lang: Lang| {
        leptos::mount::mount_to_body(move || view! { <App lang=lang/> });
        browser::remove_boot_notice();
    };
    // A visit that starts from a share link (decompressed by the browser) or from an older YAML
    // scenario (read by the second module) waits for it, so the calculator never shows the
    // default's numbers in its place.
    let startup = crate::pages::calculator::toolbar::needs_startup_read();
    #[cfg(target_arch = "wasm32")]
    if lang == Lang::Zh || startup {
        // Leptos's own executor starts with the first mount, so not `leptos::task::spawn_local`.
        wasm_bindgen_futures::spawn_local(async move {
            if startup {
                crate::pages::calculator::toolbar::read_startup().await;
            }
            let ok = lang == Lang::Zh && i18n::zh_text::fetch_and_install(false).await.is_ok();
            start(if ok { Lang::Zh } else { Lang::En });
        });
        return;
    }
    let _ = startup;
    start(lang);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_routes_pick_the_page() {
        // (hash, pathname, expected)
        let rows = [
            ("", "/", Page::Calculator),
            ("#/calculator", "/", Page::Calculator),
            ("#/incident", "/", Page::Incident),
            ("#incident", "/", Page::Incident),
            ("#/incident/", "/oomlens/", Page::Incident),
            ("#/calculator?s=abc", "/", Page::Calculator),
            ("#/incident?x=1", "/", Page::Incident),
            ("#/nope", "/", Page::Calculator),
            ("#/Incident", "/", Page::Calculator),
            ("#main", "/", Page::Calculator),
        ];
        for (hash, path, want) in rows {
            assert_eq!(Page::from_location(hash, path), want, "{hash:?} {path:?}");
        }
    }

    #[test]
    fn path_deep_links_served_by_404_html_pick_the_page() {
        assert_eq!(Page::from_location("", "/oomlens/incident"), Page::Incident);
        assert_eq!(
            Page::from_location("", "/oomlens/incident/"),
            Page::Incident
        );
        assert_eq!(Page::from_location("", "/incident.html"), Page::Incident);
        assert_eq!(
            Page::from_location("", "/oomlens/whatever"),
            Page::Calculator
        );
        // A known fragment route wins over the path.
        assert_eq!(
            Page::from_location("#/calculator", "/oomlens/incident"),
            Page::Calculator
        );
    }

    #[test]
    fn every_page_link_round_trips() {
        for p in Page::ALL {
            assert_eq!(Page::from_location(p.href(), "/"), p);
        }
    }

    #[test]
    fn colour_scheme_round_trips_and_toggles() {
        for s in [ColorScheme::Light, ColorScheme::Dark] {
            assert_eq!(ColorScheme::parse(s.attr()), Some(s));
            assert_ne!(s.toggled(), s);
            assert_eq!(s.toggled().toggled(), s);
        }
        assert_eq!(ColorScheme::parse("sepia"), None);
    }
}
