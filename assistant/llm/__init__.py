"""Chat models behind one provider interface (OpenAI and OpenAI-compatible servers)."""
