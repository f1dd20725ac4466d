"""The app's SQLite database: schema, migrations and queries."""

from desktop_llm.core.store.schema import (
    Base,
    Conversation,
    Generation,
    Message,
    ModelHash,
    SentimentItem,
)
from desktop_llm.core.store.store import INTERRUPTED_ERROR, SearchHit, Store, generation_as_dict

__all__ = [
    "INTERRUPTED_ERROR",
    "Base",
    "Conversation",
    "Generation",
    "Message",
    "ModelHash",
    "SearchHit",
    "SentimentItem",
    "Store",
    "generation_as_dict",
]
