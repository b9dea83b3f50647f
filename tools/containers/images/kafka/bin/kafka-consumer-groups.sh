#!/bin/sh
# As Kafka's own script (the same class); docker-compose.yml's health check asks for a group's coordinator with it.
exec java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto \
  -cp '/opt/kafka/tools-libs/*' org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "$@"
