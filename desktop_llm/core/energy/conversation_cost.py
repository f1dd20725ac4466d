"""What a conversation's model calls cost in energy and carbon, from the stored records:
each reply's own line (under it in the chat) and a task run's sum over all its calls (the
task panel's line, the CLI's --json). The window and the CLI read it here, not each from
the store. A remote engine's calls without figures are never summed as 0: the totals leave
them out and count them apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_llm.core.energy.wording import cost_line, engine_words, reply_tooltip, run_cost
from desktop_llm.core.store import Energy, Store, energy_as_dict


@dataclass(frozen=True)
class CallCost:
    """One model call (a reply, a part of a task run) with its stored energy record."""

    message_id: int
    energy: Energy
    tokens_per_second: float | None
    engine: str = "local"  # "local" or the remote engine's name
    engine_host: str | None = None

    def line(self) -> str:
        return cost_line(self.energy, self.tokens_per_second)

    def tooltip(self) -> str:
        """How the cost was known, then which engine wrote the reply."""
        return reply_tooltip(self.energy, self.engine, self.engine_host)


@dataclass(frozen=True)
class ConversationCost:
    calls: tuple[CallCost, ...]  # in message order; only calls with an energy record

    @property
    def records(self) -> list[Energy]:
        return [call.energy for call in self.calls]

    def run_cost(self) -> tuple[str, str]:
        """(line, tooltip) for the whole run; ('', '') when nothing was metered."""
        line, tooltip = run_cost(self.records)
        if not self.calls:
            return line, tooltip
        last = self.calls[-1]
        return line, "\n".join([tooltip, engine_words(last.engine, last.engine_host)])

    def as_dict(self) -> dict[str, Any]:
        """The totals and every record, as the CLI's --json prints them."""
        records = [energy_as_dict(e) for e in self.records]
        known = [r for r in records if r["joules_attributed"] is not None]

        def summed(key: str) -> float | None:
            # None when no call has the figure (a remote engine's run): unknown, not 0
            return sum(r[key] or 0.0 for r in known) if known or not records else None

        return {
            "joules_gross": summed("joules_gross"),
            "joules_net": summed("joules_net"),
            "joules_attributed": summed("joules_attributed"),
            "carbon_g": summed("carbon_g"),
            # calls whose energy was not measured here (a remote engine's): not summed
            "not_measured_remote": len(records) - len(known),
            "records": records,
        }


def conversation_cost(store: Store, conversation_id: int) -> ConversationCost:
    energy = store.energy_by_message(conversation_id)
    if not energy:
        return ConversationCost(())
    generations = store.generations(conversation_id)
    calls = []
    for message_id, record in sorted(energy.items()):
        generation = generations.get(message_id)
        if generation is None:
            calls.append(CallCost(message_id, record, None))
            continue
        calls.append(
            CallCost(
                message_id,
                record,
                generation.tokens_per_second,
                generation.engine,
                generation.engine_host,
            )
        )
    return ConversationCost(tuple(calls))
