import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaTopicsYaml, kafkaUsersYaml } from './kafka-manifests';

// node -r @swc-node/register k8s/test/generate-kafka-manifests.ts
// Rewrites the KafkaTopics and KafkaUsers from TopicSpecs and KAFKA_ACCESS (after adding a topic or a partner).
const KAFKA = join(__dirname, '..', 'base', 'kafka');
writeFileSync(join(KAFKA, 'topics.yaml'), kafkaTopicsYaml());
writeFileSync(join(KAFKA, 'users.yaml'), kafkaUsersYaml());
process.stdout.write(`wrote ${join(KAFKA, 'topics.yaml')} and ${join(KAFKA, 'users.yaml')}\n`);
