"""The window's side of the local OpenAI-compatible server (core/server)."""
