#!/usr/bin/env bash
# The built .deb (and .tar.gz), unpacked and used like an annotator would, with the frozen
# binary only: no source tree, no virtualenv on its path.
#
#     packaging/test_installer.sh [DIST_DIR]        (make test-installer builds, then runs it)
#
# Fails on a non-zero exit and on error output: a Traceback, an "...Error", Qt's "Could not
# load/find" plugin messages, a missing shared object.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$(realpath "${1:-$root/dist}")
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/app/__init__.py")
deb=$(ls "$dist"/newsmark_"$version"_*.deb)
tarball=$(ls "$dist"/newsmark-"$version"-linux-*.tar.gz)

tmp=$(mktemp -d)
xvfb_pid=
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
BAD='Traceback|[A-Za-z]Error\b|internal error|Could not (load|find)|Cannot load|cannot open shared object|undefined symbol'
step=0

# run NAME CMD...: run in $tmp/work, show its output, fail on exit code or error output.
run() {
  local name=$1; shift
  step=$((step + 1))
  local log=$tmp/step$step.log
  local started=$SECONDS
  if ! (cd "$tmp/work" && "$@") >"$log" 2>&1; then
    echo "FAIL: $name (exit code)"; sed 's/^/    /' "$log"; exit 1
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

echo "== unpacking $(basename "$deb") ($(du -h "$deb" | cut -f1)) into a temporary root"
dpkg-deb -x "$deb" "$tmp/root"
dpkg-deb -f "$deb" Depends | grep -q 'libxcb-cursor0' || { echo "FAIL: Depends lacks Qt's X libraries"; exit 1; }
[ "$(readlink "$tmp/root/usr/bin/newsmark")" = /opt/newsmark/Newsmark ] || { echo "FAIL: /usr/bin/newsmark"; exit 1; }
for f in usr/share/applications/newsmark.desktop usr/share/icons/hicolor/256x256/apps/newsmark.png \
         usr/share/icons/hicolor/scalable/apps/newsmark.svg opt/newsmark/_internal/resources/schema.json; do
  [ -f "$tmp/root/$f" ] || { echo "FAIL: the package has no $f"; exit 1; }
done
desktop-file-validate "$tmp/root/usr/share/applications/newsmark.desktop"

B=$tmp/root/opt/newsmark/Newsmark
mkdir -p "$tmp/work" "$tmp/home"
# A clean environment: nothing of the source tree or the virtualenv, a fresh home.
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
run "GUI offscreen, 3 s" env QT_QPA_PLATFORM=offscreen NEWSMARK_READY_QUIT_MS=3000 timeout 90 "$B" open project.nmk
expect "GUI offscreen" "$tmp/step$step.log" "^newsmark: window ready$"
if command -v Xvfb >/dev/null 2>&1; then
  display=":$((90 + $$ % 100))"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb_pid=$!
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
  run "GUI on X (Xvfb, the xcb plugin and the system's X libraries), 3 s" \
    env -u QT_QPA_PLATFORM DISPLAY="$display" NEWSMARK_READY_QUIT_MS=3000 timeout 90 "$B" open project.nmk
  expect "GUI xcb" "$tmp/step$step.log" "^newsmark: window ready$"
else
  echo "skip GUI on X: no Xvfb here (the offscreen run above still starts the whole app)"
fi

echo "== the .tar.gz"
mkdir "$tmp/tar" && tar -xzf "$tarball" -C "$tmp/tar"
run ".tar.gz --version" "$tmp/tar/newsmark-$version/Newsmark" --version
echo "installer test passed: $(basename "$deb"), $(basename "$tarball")"
