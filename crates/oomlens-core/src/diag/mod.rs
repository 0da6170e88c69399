//! Diagnostics readers: each reads one kind of incident input line by line, keeping line numbers,
//! tolerant of cut, wrapped and interleaved text. Shared line handling is in [`lines`].

pub mod lines;
