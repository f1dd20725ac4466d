"""The energy dashboard."""
