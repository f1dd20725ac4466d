"""The chat screen: conversations, the open chat, the composer."""
