//! Chart export: the chart's SVG text as an `.svg` file, or rasterised by the browser into a `.png`
//! (2× scale) through an off-screen canvas. Nothing leaves the machine: files are made from object
//! URLs and handed to the browser's download.

/// A file name for a chart export: `oomlens-<chart>.<ext>` (only `[a-z0-9-]` kept from `chart`).
pub fn file_name(chart: &str, ext: &str) -> String {
    let clean: String = chart.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>().to_ascii_lowercase();
    format!("oomlens-{clean}.{ext}")
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::closure::Closure;
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

    /// Rasterises `svg` (at 2×) and downloads it as PNG.
    pub fn download_png(svg: &str, width: u32, height: u32, name: &str) {
        let Some(url) = blob_url(svg, "image/svg+xml") else { return };
        let Ok(img) = web_sys::HtmlImageElement::new() else { return };
        let name = name.to_string();
        let img2 = img.clone();
        let url2 = url.clone();
        let onload = Closure::once_into_js(move || {
            let _ = (|| -> Option<()> {
                let doc = web_sys::window()?.document()?;
                let canvas: web_sys::HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
                canvas.set_width(width * 2);
                canvas.set_height(height * 2);
                let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
                ctx.scale(2.0, 2.0).ok()?;
                ctx.draw_image_with_html_image_element_and_dw_and_dh(&img2, 0.0, 0.0, f64::from(width), f64::from(height)).ok()?;
                let png = canvas.to_data_url_with_type("image/png").ok()?;
                click_download(&png, &name)
            })();
            let _ = web_sys::Url::revoke_object_url(&url2);
        });
        img.set_onload(Some(onload.unchecked_ref()));
        img.set_src(&url);
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{download_png, download_text};

/// The `width`/`height` attributes of an SVG document (for rasterising), if present.
pub fn svg_size(svg: &str) -> Option<(u32, u32)> {
    let head = &svg[..svg.find('>')?];
    let attr = |name: &str| -> Option<u32> {
        let start = head.find(&format!(" {name}=\""))? + name.len() + 3;
        let rest = head.get(start..)?;
        rest.get(..rest.find('"')?)?.parse().ok()
    };
    Some((attr("width")?, attr("height")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe() {
        assert_eq!(file_name("Node-Memory/../x", "svg"), "oomlens-node-memoryx.svg");
    }

    #[test]
    fn size_is_read_from_the_svg_tag() {
        assert_eq!(svg_size("<svg width=\"760\" height=\"300\" viewBox=\"0 0 760 300\"><rect width=\"5\"/></svg>"), Some((760, 300)));
        assert_eq!(svg_size("<svg>"), None);
    }
}
