//! Structured facts in OFAC's remarks column (placeholder: being written).
