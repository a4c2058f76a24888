"""Documents the product drafts from the reports: comparisons, key figures, work plans."""
