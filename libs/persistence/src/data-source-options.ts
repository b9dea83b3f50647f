import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import type { TlsOptions } from 'node:tls';
import { ParameterFreeQueryLogger } from './query-logger';

export interface ServiceDataSourceConfig {
  /** postgres://user:password@host:port/database */
  url: string;
  /** The Postgres schema this service owns; no other service writes to it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
  /** TLS to the server (pg's `ssl`); undefined leaves it to the URL's sslmode. */
  ssl?: TlsOptions | false;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name '${schema}': use lower-case letters, digits and _`);
  return schema;
}

/** Options for one service's data source: its own schema, migrations only (never `synchronize`). */
export function serviceDataSourceOptions(config: ServiceDataSourceConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    schema: assertSchemaName(config.schema),
    entities: config.entities ?? [],
    migrations: config.migrations ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn', 'migration'],
    // Never TypeORM's own loggers: they print a failed query's parameters (personal data) in plain text.
    logger: new ParameterFreeQueryLogger(),
    applicationName: config.applicationName,
    ...(config.ssl !== undefined ? { ssl: config.ssl } : {}),
    poolSize: config.poolSize ?? 10,
    extra: {
      // Raw SQL in the service sees its own tables unqualified, like the entities do.
      options: `-c search_path=${config.schema},public`,
      // A dead database must surface as a failed health check quickly, not as a hung request.
      connectionTimeoutMillis: 5_000,
      statement_timeout: 60_000,
    },
  };
}

/** Creates the service schema when missing, then applies pending migrations, each in its own transaction. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const schema = assertSchemaName(String((dataSource.options as { schema?: string }).schema));
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
