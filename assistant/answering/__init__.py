"""From passages to a cited answer: extractive (offline) or generative (LLM), with citation checks."""
