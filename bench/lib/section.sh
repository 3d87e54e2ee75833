# shellcheck shell=bash
# BENCHMARKS.md holds one section per benchmark, between <!-- begin NAME --> and
# <!-- end NAME --> lines, so each benchmark rewrites its own figures and leaves the others'.

: "${TP_BENCHMARKS_FILE:=BENCHMARKS.md}"

# tp_bench_section NAME FILE: puts FILE's text in place of section NAME (appended when new).
tp_bench_section() {
  local name="$1" body="$2" out="$TP_BENCHMARKS_FILE"
  [[ -s "$out" ]] || printf '# Benchmarks\n' >"$out"
  python3 - "$out" "$name" "$body" <<'PY'
import re, sys
path, name, body_path = sys.argv[1:]
text = open(path).read()
body = open(body_path).read().rstrip("\n")
block = f"<!-- begin {name} -->\n{body}\n<!-- end {name} -->"
pattern = re.compile(rf"<!-- begin {re.escape(name)} -->.*?<!-- end {re.escape(name)} -->", re.S)
text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
open(path, "w").write(text.rstrip("\n") + "\n")
PY
}
