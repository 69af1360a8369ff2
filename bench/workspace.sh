# Sourced by the bench scripts that start a Lifeline of their own and put one agent behind it.
#   await_lifeline <base url> <server log>      waits for /health; on failure prints the log and exits
#   online_workspace <base url> <runtime>        creates a workspace (admin token "bench") and waits
#                                                until it is online; sets WS, AGENT_URL and AGENT (pid)
#   post_script <file>                           writes a wrk script that POSTs $BODY with the admin token
field() { python3 -c 'import json,sys;print(json.load(sys.stdin).get(sys.argv[1]) or "")' "$1"; }

await_lifeline() {
  for _ in $(seq 240); do curl -sf -o /dev/null "$1/health" && return 0; sleep 0.25; done
  echo "Lifeline did not start:" >&2; cat "$2" >&2; exit 1
}

online_workspace() {
  local ws=""
  WS="$(curl -sf -H 'Authorization: Bearer bench' -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"runtime\":\"$2\"}" "$1/workspaces" | field id)"
  for _ in $(seq 240); do
    ws="$(curl -sf -H 'Authorization: Bearer bench' "$1/workspaces/$WS")"
    [ "$(field status <<<"$ws")" = online ] && break
    sleep 0.25
  done
  [ "$(field status <<<"$ws")" = online ] || { echo "the workspace did not come online: $ws" >&2; exit 1; }
  AGENT_URL="$(field url <<<"$ws")"
  AGENT="$(field instance_ref <<<"$ws")"; AGENT="${AGENT%%@*}"
  case "$AGENT_URL" in http://127.0.0.1:*) ;; *) echo "agent URL is not loopback: $AGENT_URL" >&2; exit 1 ;; esac
}

# The call the A2A benches send: a small SendMessage that the echo runtime answers with "echo: hi".
BODY='{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"messageId":"m1","role":"ROLE_USER","parts":[{"text":"hi"}]}}}'

post_script() {
  cat >"$1" <<EOF
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench"
EOF
}
