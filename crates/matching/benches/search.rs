//! Search and build benchmarks (being written).
fn main() {}
