"""The local OpenAI-compatible server: other programs use the desktop's models through it,
and every request is metered and logged like a reply in the window (docs/server.md)."""
