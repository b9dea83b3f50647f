#!/bin/sh
# The official apache/kafka image's environment interface: KAFKA_LOG_DIRS=/x becomes log.dirs=/x
# (`_` -> `.`, `__` -> `_`, `___` -> `-`); KAFKA_HEAP_OPTS and KAFKA_OPTS go to the JVM.
set -euf
props=/opt/kafka/config/server.properties
env | grep '^KAFKA_' | grep -v -E '^KAFKA_(HEAP_OPTS|OPTS|JVM_PERFORMANCE_OPTS)=' | while IFS='=' read -r name value; do
  key=$(printf '%s' "${name#KAFKA_}" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
  printf '%s=%s\n' "$key" "$value"
done > "$props"

# Word lists, as in Kafka's own scripts (set -f: no globbing of them).
opts="${KAFKA_HEAP_OPTS:--Xmx1g} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35"
opts="$opts -Djava.awt.headless=true -Dlog4j2.configurationFile=/opt/kafka/log4j2.xml ${KAFKA_OPTS:-}"

# shellcheck disable=SC2086
java $opts -cp '/opt/kafka/libs/*' kafka.tools.StorageTool format \
  --cluster-id "${CLUSTER_ID:?CLUSTER_ID is needed to format the storage}" --config "$props" --ignore-formatted
# shellcheck disable=SC2086
exec java $opts -cp '/opt/kafka/libs/*' kafka.Kafka "$props"
