//! The calculator catalogue (English and Simplified Chinese, same keys).

/// English texts.
pub const EN: &[(&str, &str)] = &[];
/// Simplified Chinese texts.
pub const ZH: &[(&str, &str)] = &[];
