import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface KafkaInfra {
  startKafka(options: { dataDir: string; port: number; controllerPort: number }): Promise<{ brokers: string }>;
  stopKafka(options: { dataDir: string }): Promise<void>;
}
interface ProcInfra {
  findFreePort(): Promise<number>;
}
/* The infrastructure scripts are plain JavaScript shared with `npm start`; tests drive the same code. */
const INFRA_DIR = join(__dirname, '..', '..', '..', 'tools', 'infra');
const kafkaInfra = require(join(INFRA_DIR, 'kafka.js')) as KafkaInfra;
const procInfra = require(join(INFRA_DIR, 'proc.js')) as ProcInfra;

/**
 * A Kafka broker of a test's own, for fault tests that stop and restart it without disturbing the
 * shared broker other test files use. Same ports across restarts, so clients reconnect to it.
 */
export class OwnKafkaBroker {
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'niryat-own-kafka-'));
  private ports?: { port: number; controllerPort: number };
  brokers = '';

  async start(): Promise<string> {
    this.ports ??= { port: await procInfra.findFreePort(), controllerPort: await procInfra.findFreePort() };
    const { brokers } = await kafkaInfra.startKafka({ dataDir: this.dataDir, ...this.ports });
    this.brokers = brokers;
    return brokers;
  }

  async stop(): Promise<void> {
    await kafkaInfra.stopKafka({ dataDir: this.dataDir });
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
