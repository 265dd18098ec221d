//! Screening: queries, batches and output over a matching index (being written).
