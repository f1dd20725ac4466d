"""Per-model engine settings: validation against the file's limits, the file beside
settings.json, and the load spec ModelHost builds from them (no model needed)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from desktop_llm.core.config import Settings
from desktop_llm.core.engine.chat_template import CHATML_TEMPLATE, template_problem
from desktop_llm.core.model_host import ModelHost
from desktop_llm.core.model_settings import (
    FILE_NAME,
    EngineValues,
    InvalidModelSettings,
    ModelLimits,
    ModelOverrides,
    ModelSettings,
    check,
    check_field,
    parse_number,
)
from desktop_llm.core.models.gguf_file import read_gguf
from desktop_llm.core.models.registry import InstalledModel
from tests.helpers.gguf_factory import TINY_TENSORS, tiny_metadata, write_gguf

LIMITS = ModelLimits(trained_context=8192, layers=30, cpus=4)


def test_limits_come_from_the_gguf_metadata(tmp_path: Path) -> None:
    md = tiny_metadata(extra={"llama.context_length": 2048, "llama.block_count": 12})
    info = read_gguf(write_gguf(tmp_path / "m.gguf", md, TINY_TENSORS))
    limits = ModelLimits.of(info)
    assert (limits.trained_context, limits.layers) == (2048, 12)
    assert limits.cpus == os.cpu_count()
    bare = read_gguf(write_gguf(tmp_path / "bare.gguf", {"general.name": "x"}, TINY_TENSORS))
    unknown = ModelLimits.of(bare)
    assert unknown.trained_context is None and unknown.layers is None
    assert unknown.max_context == 131072 and unknown.max_gpu_layers == 1000


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        (
            ModelOverrides(context_length=255),
            "context_length",
            "The context length must be from 256 to 8,192 tokens: 8,192 is what this model "
            "was trained for.",
        ),
        (ModelOverrides(context_length=8193), "context_length", None),
        (
            ModelOverrides(gpu_layers=-2),
            "gpu_layers",
            "GPU layers must be from -1 (all) to 30, the layers this model has.",
        ),
        (ModelOverrides(gpu_layers=31), "gpu_layers", None),
        (
            ModelOverrides(threads=0),
            "threads",
            "Threads must be from 1 to 4, the CPU threads of this computer.",
        ),
        (ModelOverrides(threads=5), "threads", None),
        (
            ModelOverrides(chat_template="{% for m in messages %}{{ m.content }"),
            "chat_template",
            "The chat template does not work: ",
        ),
    ],
)
def test_a_value_out_of_bounds_is_refused_with_the_reason(
    overrides: ModelOverrides, field: str, reason: str | None
) -> None:
    problems = check(overrides, LIMITS)
    assert list(problems) == [field]
    if reason is not None:
        assert problems[field].startswith(reason)


def test_the_bounds_themselves_are_accepted() -> None:
    for ok in (
        ModelOverrides(256, -1, 1, CHATML_TEMPLATE),
        ModelOverrides(8192, 30, 4),
        ModelOverrides(),
    ):
        assert check(ok, LIMITS) == {}


def test_a_template_syntax_error_says_where_and_a_runtime_error_says_what() -> None:
    assert template_problem(CHATML_TEMPLATE) is None
    broken = "{% for m in messages %}\n{{ m['content'] }\n{% endfor %}"
    problem = template_problem(broken)
    assert problem is not None and "line 2" in problem
    assert template_problem("{{ raise_exception('No system role here') }}") == (
        "No system role here"
    )
    # The sandbox still holds: reaching Python's internals is refused, not run.
    escape = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    assert template_problem(escape) is not None
    assert template_problem("Hello") == "it leaves out the messages"


def test_typed_numbers_are_read_or_refused_in_words() -> None:
    assert parse_number("context_length", " 2,048 ") == 2048
    assert parse_number("threads", "") is None
    with pytest.raises(ValueError, match=r"^Threads must be a whole number\.$"):
        parse_number("threads", "four")


def test_saved_overrides_survive_a_reload_and_bad_ones_change_nothing(tmp_path: Path) -> None:
    settings_path = tmp_path / "settings.json"
    store = ModelSettings.beside(settings_path)
    assert store.path == tmp_path / FILE_NAME
    assert store.get("a").empty
    store.save("a", ModelOverrides(context_length=512, threads=2), LIMITS)
    store.save("b", ModelOverrides(chat_template=CHATML_TEMPLATE), LIMITS)
    with pytest.raises(InvalidModelSettings) as refused:
        store.save("a", ModelOverrides(context_length=100, threads=99), LIMITS)
    assert set(refused.value.problems) == {"context_length", "threads"}
    assert str(refused.value).startswith("The context length must be from 256")
    again = ModelSettings(store.path)
    assert again.get("a") == ModelOverrides(context_length=512, threads=2)
    assert again.get("b").chat_template == CHATML_TEMPLATE
    raw = json.loads(store.path.read_text(encoding="utf-8"))
    assert raw["a"] == {"context_length": 512, "threads": 2}  # only what differs

    assert store.update("a", LIMITS, threads=None) == ModelOverrides(context_length=512)
    assert store.reset("a") is True and store.reset("a") is False
    assert ModelSettings(store.path).all() == {"b": ModelOverrides(chat_template=CHATML_TEMPLATE)}
    store.save("b", ModelOverrides(), LIMITS)  # empty: forgotten
    assert json.loads(store.path.read_text(encoding="utf-8")) == {}


def test_another_process_writing_the_file_is_seen(tmp_path: Path) -> None:
    store = ModelSettings(tmp_path / FILE_NAME)
    store.save("a", ModelOverrides(threads=2), LIMITS)
    assert store.get("a").threads == 2
    other = ModelSettings(store.path)
    other.save("a", ModelOverrides(threads=3, gpu_layers=-1), LIMITS)
    assert store.get("a") == ModelOverrides(gpu_layers=-1, threads=3)


def test_a_malformed_file_is_set_aside_and_wrong_types_ignored(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text("{not json", encoding="utf-8")
    store = ModelSettings(path)
    assert store.all() == {}
    assert store.load_warning and "model_settings.json.bad" in store.load_warning
    assert (tmp_path / "model_settings.json.bad").exists()
    path.write_text(
        json.dumps({"a": {"context_length": "big", "threads": True, "gpu_layers": 4}}),
        encoding="utf-8",
    )
    assert ModelSettings(path).get("a") == ModelOverrides(gpu_layers=4)


def test_the_load_spec_takes_the_models_own_values_over_the_app_wide_ones(
    tmp_path: Path,
) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.update({"engine.context_length": 4096, "engine.threads": 3, "engine.gpu_layers": 0})
    host = ModelHost(settings, None, None, None)  # type: ignore[arg-type]  # load_spec only
    model = InstalledModel("m", tmp_path / "m.gguf", "local", 1)
    before = host.load_spec(model)
    assert (before.n_ctx, before.n_threads, before.n_gpu_layers) == (4096, 3, 0)
    assert before.chat_template is None
    host.model_settings.save("m", ModelOverrides(context_length=512, gpu_layers=-1), LIMITS)
    after = host.load_spec(model)
    assert (after.n_ctx, after.n_threads, after.n_gpu_layers) == (512, 3, -1)
    assert after != before  # so prepare() loads the model again
    assert host.load_spec(InstalledModel("other", model.path, "local", 1)) == before
    assert EngineValues.of(settings, ModelOverrides(threads=1)).threads == 1


def test_non_finite_numbers_in_the_file_are_left_out(tmp_path: Path) -> None:
    """A model's own values are whole numbers: Infinity, 1e400 and NaN parse as floats and
    are passed over for the app-wide ones."""
    path = tmp_path / "model_settings.json"
    path.write_text('{"m": {"context_length": Infinity, "threads": NaN, "gpu_layers": 1e400}}')
    store = ModelSettings(path)
    assert store.get("m").empty
    assert check_field("threads", float("nan"), ModelLimits(None, None, 4)) is not None
