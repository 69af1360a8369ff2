# Sourced by the bench scripts that start a Lifeline of their own and put one agent behind it.
#   await_lifeline <base url> <server log>      waits for /health; on failure prints the log and exits
#   online_workspace <base url> <runtime>        creates a workspace (admin token "bench") and waits
#                                                until it is online; sets WS, AGENT_URL and AGENT (pid)
#   post_script <file>                           writes a wrk script that POSTs $BODY with the admin token
#   thread_ticks <pid>                           each thread's id, name (numbers cut off) and CPU ticks
#   cpu_per_thread <before> <after> <calls>      Lifeline's CPU per call between two thread_ticks,
#                                                in all and by thread name (names under 5 % left out)
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

thread_ticks() { python3 - "$1" <<'PY'
import os, re, sys
pid = sys.argv[1]
for t in os.listdir(f"/proc/{pid}/task"):
    try:
        st = open(f"/proc/{pid}/task/{t}/stat").read()
    except OSError:
        continue
    name = re.sub(r"[#-]?\d+$", "", st[st.index("(") + 1:st.rindex(")")]).replace(" ", "_")
    f = st[st.rindex(")") + 2:].split()
    print(t, name, int(f[11]) + int(f[12]))
PY
}

cpu_per_thread() {
  awk -v hz="$(getconf CLK_TCK)" -v calls="$3" 'NR == FNR { before[$1] = $3; next }
    { cpu[$2] += $3 - before[$1]; total += $3 - before[$1] }
    END { printf "Lifeline CPU per thread in that run (%.0f us per call in all):", 1e6 * total / hz / calls
          for (n in cpu) if (cpu[n] * 20 >= total) printf " %s %.0f us", n, 1e6 * cpu[n] / hz / calls
          printf " (threads under 5 %% left out)\n" }' "$1" "$2"
}
