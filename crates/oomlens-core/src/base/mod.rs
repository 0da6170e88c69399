//! The base layer: values and text every other layer uses, with no Kubernetes or kernel rule in
//! them: exact quantities, derivations ("why this number"), translatable sentences, shared ids,
//! and small sorting helpers. Imports nothing from the crate.

pub mod catalogue;
pub mod decimal;
pub mod derivation;
pub mod go_duration;
pub mod message;
pub mod name;
pub mod quantity;
pub mod sort;
