"""Settings, run-time environment and prompt templates: what every other part reads first."""
