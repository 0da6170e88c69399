//! Shared UI widgets (charts, quantity inputs, tables).
