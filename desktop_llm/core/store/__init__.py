"""The app's SQLite database: schema, migrations and queries."""

from desktop_llm.core.store.schema import (
    Attachment,
    Base,
    Conversation,
    Energy,
    EnergyBaseline,
    EvaluationItem,
    EvaluationRun,
    EvaluationStatus,
    Generation,
    Message,
    MessageStatus,
    ModelHash,
    SentimentItem,
)
from desktop_llm.core.store.store import (
    INTERRUPTED_ERROR,
    EnergyRow,
    SearchHit,
    Store,
    energy_as_dict,
    generation_as_dict,
    write_failure,
)
from desktop_llm.core.store.titles import title_from

__all__ = [
    "INTERRUPTED_ERROR",
    "Attachment",
    "Base",
    "Conversation",
    "Energy",
    "EnergyBaseline",
    "EnergyRow",
    "EvaluationItem",
    "EvaluationRun",
    "EvaluationStatus",
    "Generation",
    "Message",
    "MessageStatus",
    "ModelHash",
    "SearchHit",
    "SentimentItem",
    "Store",
    "energy_as_dict",
    "generation_as_dict",
    "title_from",
    "write_failure",
]
