//! The app's pages, organised by what the user does.

pub mod calculator;
pub mod incident;
pub mod learn;
