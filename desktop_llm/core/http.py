"""The HTTP client the app uses (the Hub, remote engines): huggingface_hub 1.x brings httpx,
2.x its fork httpx2, with the same API."""

try:
    import httpx2 as httpx
except ImportError:  # pragma: no cover
    import httpx  # type: ignore[no-redef]

__all__ = ["httpx"]
