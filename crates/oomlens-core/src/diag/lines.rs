//! Line handling shared by the readers (to be written).
