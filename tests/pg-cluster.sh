#!/bin/sh
# pg-cluster.sh - a throwaway PostgreSQL cluster for the tests, in a
# temporary directory, listening only on a Unix socket inside it.
#
#   tests/pg-cluster.sh start DIR    make the cluster in DIR (created; it
#                                    must not exist) and start it; prints
#                                    the connection URL on stdout
#   tests/pg-cluster.sh stop DIR     stop it by the PID in DIR's
#                                    postmaster.pid, wait, remove DIR
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the
# unprivileged user 'postgres' (Debian's packages make it) or, without
# it, 'nobody'; otherwise it runs as the calling user. Authentication is
# 'trust' on the socket alone, in a directory only that user may enter.
# The server binaries are Debian's (/usr/lib/postgresql/VERSION/bin),
# installed by scripts/deps.sh.
set -u
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 2; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] ||
  { echo "pg-cluster.sh: PostgreSQL's server is not installed (make test installs it)" >&2; exit 1; }

owner=$(id -un)
as_owner() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  id postgres >/dev/null 2>&1 || owner=nobody
  as_owner() { runuser -u "$owner" -- "$@"; }
fi

case "$cmd" in
start)
  [ -e "$dir" ] && { echo "pg-cluster.sh: $dir exists already" >&2; exit 1; }
  mkdir -p "$dir/data" || exit 1
  chmod 700 "$dir"
  [ "$(id -u)" -eq 0 ] && chown -R "$owner" "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" -A trust -U sws -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { echo "pg-cluster.sh: initdb failed:" >&2; tail -n 20 "$dir/initdb.log" >&2; exit 1; }
  # a port number only names the socket file; nothing listens on TCP
  port=$((20000 + $$ % 20000))
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
max_connections = 300
shared_buffers = 128MB
fsync = on
synchronous_commit = on
log_min_messages = warning
EOF
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1 ||
    { echo "pg-cluster.sh: the server did not start:" >&2; tail -n 20 "$dir/server.log" >&2; exit 1; }
  as_owner "$bindir/psql" -h "$dir" -p "$port" -U sws -d postgres -qAt \
    -c "CREATE DATABASE sws" >/dev/null ||
    { echo "pg-cluster.sh: cannot create the database" >&2; exit 1; }
  echo "postgresql://sws@/sws?host=$dir&port=$port"
  ;;
stop)
  [ -f "$dir/data/postmaster.pid" ] || { rm -rf "$dir"; exit 0; }
  pid=$(head -n 1 "$dir/data/postmaster.pid")
  # SIGINT: the fast shutdown (connections closed, nothing waits)
  kill -INT "$pid" 2>/dev/null
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
