//! Chart export: the chart's SVG text as an `.svg` file, or rasterised by the browser into a `.png`
//! (2× scale) through an off-screen canvas. Nothing leaves the machine: files are made from object
//! URLs and handed to the browser's download.
// Parts used only by the browser build (links, storage, downloads) are dead code natively.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

/// A file name for a chart export: `oomlens-<chart>.<ext>` (only `[a-z0-9-]` kept from `chart`).
pub fn file_name(chart: &str, ext: &str) -> String {
    let clean: String = chart
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    format!("oomlens-{clean}.{ext}")
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::{JsCast, JsValue};

    fn blob_url(text: &str, mime: &str) -> Option<String> {
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
        web_sys::Url::create_object_url_with_blob(&blob).ok()
    }

    fn click_download(url: &str, name: &str) -> Option<()> {
        let doc = web_sys::window()?.document()?;
        let a: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
        a.set_href(url);
        a.set_download(name);
        a.style().set_property("display", "none").ok()?;
        doc.body()?.append_child(&a).ok()?;
        a.click();
        a.remove();
        Some(())
    }

    /// Downloads `text` as a file.
    pub fn download_text(text: &str, mime: &str, name: &str) {
        if let Some(url) = blob_url(text, mime) {
            let _ = click_download(&url, name);
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }

    /// Draws a chart (at 2×) onto an off-screen canvas and downloads it as PNG. (Rasterising the
    /// SVG through an `<img>` would need `blob:` or `data:` images, which the
    /// Content-Security-Policy forbids.)
    pub fn download_png(
        size: (u32, u32),
        name: &str,
        draw: impl FnOnce(&mut crate::widgets::charts::scene::Scene),
    ) {
        let mut scene = crate::widgets::charts::scene::Scene::new(size);
        draw(&mut scene);
        let _ = (|| -> Option<()> {
            let doc = web_sys::window()?.document()?;
            let canvas: web_sys::HtmlCanvasElement =
                doc.create_element("canvas").ok()?.dyn_into().ok()?;
            let (w, h) = size;
            canvas.set_width(w * 2);
            canvas.set_height(h * 2);
            let ctx: web_sys::CanvasRenderingContext2d =
                canvas.get_context("2d").ok()??.dyn_into().ok()?;
            ctx.scale(2.0, 2.0).ok()?;
            scene.draw_on(&ctx);
            let png = canvas.to_data_url_with_type("image/png").ok()?;
            click_download(&png, name)
        })();
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{download_png, download_text};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe() {
        assert_eq!(
            file_name("Node-Memory/../x", "svg"),
            "oomlens-node-memoryx.svg"
        );
    }
}
