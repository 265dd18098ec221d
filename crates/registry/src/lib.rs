//! Versioned store of list publications (placeholder: being written).
