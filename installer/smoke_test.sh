#!/bin/sh
# Smoke-test an unpacked frozen bundle (installer/README.md): run its executable with no
# Python, no virtualenv and nothing of the caller's environment (env -i), on an empty data
# folder, and fail on the first check that does not pass.
#
#   installer/smoke_test.sh BUNDLE_DIR      (the folder holding the desktop-llm executable)
#
# The chat goes through the whole frozen path: the inference worker re-entering the
# executable (multiprocessing spawn), llama.cpp's libraries, the bundled starter model, the
# Alembic migrations and the resources. The window is opened offscreen for a few seconds.
set -eu

bundle=$(cd "${1:?usage: smoke_test.sh BUNDLE_DIR}" && pwd)
exe="$bundle/desktop-llm"
test -x "$exe" || { echo "smoke_test: no executable $exe" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/desktop-llm-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
home="$work/home"

run() {  # run ARGS...: the bundle's executable with an empty environment (no PATH at all)
    env -i HOME="$home" DESKTOP_LLM_HOME="$home" QT_QPA_PLATFORM=offscreen "$exe" "$@"
}
fail() { echo "smoke_test: FAIL: $*" >&2; exit 1; }

echo "== desktop-llm --version"
run --version > "$work/version" || fail "--version exited $?"
cat "$work/version"
grep -q '^desktop-llm [0-9]' "$work/version" || fail "--version printed no version"

echo "== desktop-llm --smoke-test (the window answers one message through its own path)"
run --smoke-test || fail "--smoke-test exited $?"

# --smoke-test checks that the X11 (xcb) plugin loads, whatever platform it runs on; on a
# virtual X display the window itself opens through it, as on a user's desktop.
if command -v xvfb-run >/dev/null 2>&1; then
    echo "== desktop-llm --smoke-test on an X display (Xvfb: the xcb plugin and its libraries)"
    xvfb-run -a -s "-screen 0 1280x800x24" sh -c 'exec env -i HOME="$1" DESKTOP_LLM_HOME="$1" \
        DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" QT_QPA_PLATFORM=xcb "$2" --smoke-test' \
        _ "$home" "$exe" || fail "--smoke-test on X11 exited $?"
else
    echo "== (no xvfb-run here: the X11 window was checked by loading its plugin only)"
fi

echo "== desktop-llm models list"
run models list > "$work/models" || fail "models list exited $?"
cat "$work/models"
grep -q 'SmolLM2-135M-Instruct' "$work/models" || fail "the bundled starter model is not listed"

echo "== desktop-llm energy meters"
run energy meters || fail "energy meters exited $?"

echo "== desktop-llm chat hi --max-tokens 8 --json"
run chat "hi" --max-tokens 8 --json > "$work/chat.json" || fail "chat exited $?"
cat "$work/chat.json"; echo
grep -q '"completion_tokens": *[1-9]' "$work/chat.json" || fail "chat: no completion tokens"

echo "== desktop-llm history show 1 (the reply is in the database)"
run history show 1 > "$work/history" || fail "history show exited $?"
cat "$work/history"
grep -q '"content"' "$work/chat.json" && test -s "$work/history" || fail "history is empty"

echo "== desktop-llm serve (the local OpenAI-compatible server answers a chat request)"
if command -v curl >/dev/null 2>&1; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 18765)
    # Not through run(): $! must be the executable itself (env execs it), not a subshell,
    # so that the SIGTERM below reaches the server.
    env -i HOME="$home" DESKTOP_LLM_HOME="$home" "$exe" serve --port "$port" \
        > "$work/serve.out" 2>&1 & serve_pid=$!
    up=""
    for _ in $(seq 1 120); do
        if curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; then up=1; break; fi
        kill -0 "$serve_pid" 2>/dev/null || break
        sleep 0.5
    done
    if [ -z "$up" ]; then
        kill "$serve_pid" 2>/dev/null || true; cat "$work/serve.out"; fail "serve did not start"
    fi
    curl -sf "http://127.0.0.1:$port/v1/chat/completions" -H 'Content-Type: application/json' \
        -d '{"model": "SmolLM2-135M-Instruct.Q4_1", "max_tokens": 8,
             "messages": [{"role": "user", "content": "hi"}]}' > "$work/serve.json" \
        || { kill "$serve_pid"; cat "$work/serve.out"; fail "serve: the chat request failed"; }
    kill -TERM "$serve_pid"; wait "$serve_pid" || fail "serve exited $? after SIGTERM"
    cat "$work/serve.json"; echo
    grep -q '"energy"' "$work/serve.json" || fail "serve: no energy in the answer's usage"
else
    echo "== (no curl here: serve was not checked)"
fi

echo "== the window, offscreen, for 10 s"
rc=0
run gui > "$work/gui.out" 2>&1 & pid=$!
sleep 10
if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; wait "$pid" || true
else
    wait "$pid" || rc=$?
    cat "$work/gui.out"; fail "the window exited early (status $rc)"
fi
if grep -q Traceback "$home"/logs/*.log "$work/gui.out" 2>/dev/null; then
    cat "$work/gui.out" "$home"/logs/*.log; fail "a traceback while the window was open"
fi
cat "$work/gui.out"
echo "smoke_test: all checks passed ($bundle)"
