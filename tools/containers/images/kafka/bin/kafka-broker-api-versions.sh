#!/bin/sh
# Kafka's own script runs the same class; a small, quickly started JVM, as the health check runs it every 10 s.
exec java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto \
  -cp '/opt/kafka/tools-libs/*' org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
