"""desktop_llm: local language models on the desktop."""

__version__ = "0.1.0"
APP_NAME = "desktop-llm"
