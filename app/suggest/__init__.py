"""Model assistance: suggesters that propose spans, stored as `suggested` for review."""
