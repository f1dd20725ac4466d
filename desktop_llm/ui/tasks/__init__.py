"""The task pages: translate, summarize, sentiment, and how their runs reach the engine."""
