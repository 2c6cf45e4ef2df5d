#!/bin/sh
# Joins the given Redis nodes (host names, port 7000) into a cluster: three masters, one replica
# each. redis-cli --cluster wants addresses, so names are resolved first. Idempotent: a node that
# already knows a cluster is left alone.
set -eu
if [ "$(redis-cli -h "$1" -p 7000 cluster info | grep -c 'cluster_state:ok')" = 1 ]; then
  echo "cluster already formed"
  exit 0
fi
nodes=""
for host in "$@"; do
  nodes="$nodes $(getent hosts "$host" | cut -d' ' -f1):7000"
done
# shellcheck disable=SC2086 # one argument per node is intended
redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes
