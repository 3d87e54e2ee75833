# shellcheck shell=bash
# The REST API as the proof scripts call it while the platform is being disturbed. Needs API,
# WORK (a folder of the script's own), auth (prints curl's header configuration with the token,
# read by `curl -K`) and log.

# tp_accepted ATTEMPTS METHOD PATH [KEY BODY]: sends the request until it is accepted (202),
# waiting 2 s after each answer that says "not now" (no answer, 502, 503, 504, 429), at most
# ATTEMPTS times; any other answer fails at once, logged. A request with a body carries KEY as
# its Idempotency-Key, the same on every attempt, so a retry after a lost answer gets the first.
tp_accepted() {
  local attempts="$1" method="$2" path="$3" key="${4:-}" body="${5:-}" status
  local args=(-H 'Content-Type: application/json')
  [[ -z "$key" ]] || args+=(-H "Idempotency-Key: $key" --data "$body")
  for _ in $(seq 1 "$attempts"); do
    status="$(curl -sS -o "$WORK/answer" -w '%{http_code}' --max-time 10 -X "$method" -K <(auth) \
      "${args[@]}" "$API$path" 2>/dev/null)" || status=000
    case "$status" in
      202) return 0 ;;
      000 | 502 | 503 | 504 | 429) sleep 2 ;;
      *) log "$method $path: HTTP $status $(head -c 300 "$WORK/answer")"; return 1 ;;
    esac
  done
  log "$method $path: no answer"
  return 1
}
