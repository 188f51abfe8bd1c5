#!/usr/bin/env bash
# One frozen Newsmark executable, used like an annotator would: the CLI (import, export,
# train in a spawned process, suggest with the model it trained) and the window, with a
# clean environment (no source tree, no virtualenv, a fresh home).
#
#     packaging/test_frozen.sh BINARY
#
# BINARY: dist/Newsmark/Newsmark (Linux), dist/Newsmark.app/Contents/MacOS/Newsmark (macOS),
# dist/Newsmark/newsmark-cli.exe (Windows: the windowed Newsmark.exe has no stdout).
# packaging/test_installer.sh runs it on the unpacked .deb; the installers workflow on the
# macOS and Windows bundles. Fails on a non-zero exit and on error output: a Traceback, an
# "...Error", Qt's "Could not load/find" plugin messages, a missing shared object.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=$1
[ -f "$B" ] || { echo "test_frozen: no executable at $B" >&2; exit 1; }
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/app/__init__.py")
tmp=$(mktemp -d)
xvfb_pid=
cleanup() { if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi; rm -rf "$tmp"; }
trap cleanup EXIT
limit=$(command -v timeout || command -v gtimeout || true)    # macOS has neither by default
with_limit() { if [ -n "$limit" ]; then "$limit" 120 "$@"; else "$@"; fi; }
BAD='Traceback|[A-Za-z]Error([^A-Za-z]|$)|internal error|Could not (load|find)|Cannot load|cannot open shared object|undefined symbol'
step=0

# run NAME CMD...: run in $tmp/work, show its output, fail on exit code or error output.
run() {
  local name=$1; shift
  step=$((step + 1))
  local log=$tmp/step$step.log
  local started=$SECONDS
  local status=0
  (cd "$tmp/work" && "$@") >"$log.raw" 2>&1 || status=$?
  tr -d '\r' < "$log.raw" > "$log"          # Windows line ends
  if [ "$status" != 0 ]; then
    echo "FAIL: $name (exit code $status)"; sed 's/^/    /' "$log"; exit 1
  fi
  if grep -Eq "$BAD" "$log"; then
    echo "FAIL: $name (error output)"; sed 's/^/    /' "$log"; exit 1
  fi
  echo "ok   $name ($((SECONDS - started)) s)"
  sed 's/^/     | /' "$log" | tail -n 4
}
expect() {     # expect WHAT FILE PATTERN
  grep -Eq "$3" "$2" || { echo "FAIL: $1: no '$3' in $2"; cat "$2"; exit 1; }
}

mkdir -p "$tmp/work" "$tmp/home"
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_DATA_HOME=$tmp/home/.local/share \
       XDG_STATE_HOME=$tmp/home/.local/state XDG_CACHE_HOME=$tmp/home/.cache \
       NEWSMARK_ANNOTATOR=installer-test
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV QT_PLUGIN_PATH
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '\.venv' | paste -sd: -)

echo "== the command line, frozen"
run "--version" "$B" --version
expect "--version" "$tmp/step$step.log" "^newsmark $version\$"
# The sample project, every article marked done so that training has enough to learn from.
sed 's/"status":"new"/"status":"done"/' "$root/resources/sample/articles.jsonl" > "$tmp/work/sample.jsonl"
run "init" "$B" init project.nmk
run "import the sample (JSONL)" "$B" import project.nmk sample.jsonl
expect "import" "$tmp/step$step.log" "^12 imported"
run "import a saved web page (HTML, trafilatura)" "$B" import project.nmk "$root/packaging/fixtures/article.html"
expect "import html" "$tmp/step$step.log" "^1 imported"
run "export newsmark JSONL" "$B" export project.nmk -f newsmark -o out.jsonl
run "export spaCy DocBin" "$B" export project.nmk -f spacy -o out.spacy
run "export Prodigy" "$B" export project.nmk -f prodigy -o prodigy.jsonl
run "init a second project" "$B" init copy.nmk
run "re-import the export" "$B" import copy.nmk out.jsonl
run "stats" "$B" stats copy.nmk
expect "round trip" "$tmp/step$step.log" "^13 articles"
# 260 articles: the export converts in worker processes (frozen multiprocessing).
# (each copy's text made unique at its end, so spans keep their offsets; uid recomputed)
(cd "$tmp/work" && for i in $(seq 20); do
   sed -e 's/"uid":"[0-9a-f]*",//' -e "s/\",\"source\":/ (copy $i)\",\"source\":/" out.jsonl
 done > many.jsonl)
run "init a third project" "$B" init many.nmk
run "import 260 articles" "$B" import many.nmk many.jsonl
run "export 260 articles in worker processes" "$B" export many.nmk -f spacy -o many.spacy
expect "export workers" "$tmp/step$step.log" "exported 260 article"

echo "== training and suggesting with the frozen binary"
run "train (2 epochs, in a spawned process)" "$B" train project.nmk -o model --max-epochs 2
[ -f "$tmp/work/model/model-best/meta.json" ] || { echo "FAIL: no model-best"; cat "$tmp/work/model/train.log"; exit 1; }
if grep -Eq "$BAD" "$tmp/work/model/train.log"; then echo "FAIL: train.log"; cat "$tmp/work/model/train.log"; exit 1; fi
run "suggest with the trained model" "$B" suggest project.nmk --with model/model-best
run "suggest with the shipped patterns" "$B" suggest project.nmk --with patterns
run "suggest with the claim rules" "$B" suggest project.nmk --with claims

echo "== the window"
run "GUI offscreen, 3 s" with_limit env QT_QPA_PLATFORM=offscreen NEWSMARK_READY_QUIT_MS=3000 "$B" open project.nmk
expect "GUI offscreen" "$tmp/step$step.log" "^newsmark: window ready$"
if command -v Xvfb >/dev/null 2>&1; then
  display=":$((90 + $$ % 100))"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb_pid=$!
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
  run "GUI on X (Xvfb, the xcb plugin and the system's X libraries), 3 s" \
    with_limit env -u QT_QPA_PLATFORM DISPLAY="$display" NEWSMARK_READY_QUIT_MS=3000 "$B" open project.nmk
  expect "GUI xcb" "$tmp/step$step.log" "^newsmark: window ready$"
else
  echo "skip GUI on X: no Xvfb here (the offscreen run above still starts the whole app)"
fi

echo "frozen app test passed: $B"
