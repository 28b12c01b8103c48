#!/bin/sh
# cluster.sh: a throwaway PostgreSQL cluster for the tests.
#
#   tests/pg/cluster.sh start DIR [PORT]   initdb + pg_ctl start in DIR,
#                                          listening on 127.0.0.1:PORT
#                                          only; prints the URL to give
#                                          MLWB_TEST_DB
#   tests/pg/cluster.sh stop DIR           stop it and remove DIR
#   tests/pg/cluster.sh pause DIR          stop the server, keep its data
#                                          (a server restart or outage)
#   tests/pg/cluster.sh resume DIR PORT    start it again
#
# PostgreSQL refuses to run as root: as root, the cluster belongs to the
# "postgres" user (Debian's package creates it) or, failing that, to a
# "mlwbtest" user created here.  Trust authentication, on loopback only.
set -eu
cmd=${1:?usage: cluster.sh start DIR [PORT] | stop DIR | pause DIR | resume DIR PORT}
dir=${2:?usage: cluster.sh start DIR [PORT] | stop DIR | pause DIR | resume DIR PORT}
port=${3:-55439}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] ||
    { echo "cluster.sh: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }

as_owner() {	# as_owner CMD: run CMD (a shell string) as the cluster's owner
	if [ "$(id -u)" = 0 ]; then
		su "$owner" -s /bin/sh -c "$1"
	else
		sh -c "$1"
	fi
}

owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
	if id postgres >/dev/null 2>&1; then
		owner=postgres
	else
		id mlwbtest >/dev/null 2>&1 ||
		    useradd --system --no-create-home mlwbtest
		owner=mlwbtest
	fi
fi

case $cmd in
start)
	mkdir -p "$dir"
	[ "$(id -u)" != 0 ] || chown "$owner" "$dir"
	as_owner "'$bin/initdb' -D '$dir/data' -A trust -U mlwb -E UTF8 \
	    --locale=C.UTF-8 --no-sync >'$dir/initdb.log' 2>&1" ||
	    { cat "$dir/initdb.log" >&2; exit 1; }
	as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w \
	    -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 \
	    -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
	    -c max_connections=200\" start >/dev/null" ||
	    { cat "$dir/server.log" >&2; exit 1; }
	echo "postgresql://mlwb@127.0.0.1:$port/postgres"
	;;
pause)
	as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null
	;;
resume)
	as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w \
	    -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 \
	    -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
	    -c max_connections=200\" start >/dev/null" ||
	    { cat "$dir/server.log" >&2; exit 1; }
	;;
stop)
	if [ -d "$dir/data" ]; then
		as_owner "'$bin/pg_ctl' -D '$dir/data' -m immediate -w stop" \
		    >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: cluster.sh start DIR [PORT] | stop DIR" >&2
	exit 2
	;;
esac
