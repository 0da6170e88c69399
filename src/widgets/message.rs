//! A model sentence on the page: the pieces of a translated `oomlens_core::base::message::Message`
//! (`crate::i18n::messages`) as text, with every size in binary units and its exact byte count on
//! hover (`title`) and in `data-bytes`, like every other size on the page.

use crate::i18n::messages::Piece;
use crate::widgets::bytes::attrs;
use leptos::prelude::*;
use oomlens_core::base::quantity::format_bytes;

/// Renders message pieces; `bytes_word` is the page language's word for "bytes" (hover text).
pub fn pieces_view(pieces: Vec<Piece>, bytes_word: &str) -> AnyView {
    pieces
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t.into_any(),
            Piece::Bytes(b) => {
                let (data, title) = attrs(Some(b), bytes_word);
                view! {
                    <span class="bytes" data-bytes=data title=title>
                        {format_bytes(b)}
                    </span>
                }
                .into_any()
            }
        })
        .collect_view()
        .into_any()
}
