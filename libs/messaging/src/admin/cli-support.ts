import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the operator commands connect: DATABASE_URL and KAFKA_BROKERS when given, else the local
 * platform `npm start` runs (`.local/dev/infra.json`).
 */
export function connection(): { databaseUrl: string; brokers: string[] } {
  if (process.env.DATABASE_URL && process.env.KAFKA_BROKERS) return { databaseUrl: process.env.DATABASE_URL, brokers: process.env.KAFKA_BROKERS.split(',') };
  const file = join(__dirname, '..', '..', '..', '..', '.local', 'dev', 'infra.json');
  try {
    const infra = JSON.parse(readFileSync(file, 'utf8')) as { postgres: { url: string }; kafka: { brokers: string } };
    return { databaseUrl: process.env.DATABASE_URL ?? infra.postgres.url, brokers: (process.env.KAFKA_BROKERS ?? infra.kafka.brokers).split(',') };
  } catch {
    throw new Error('no DATABASE_URL / KAFKA_BROKERS given and no local platform (.local/dev/infra.json): start it with `npm start` first');
  }
}

/** `command positional… --flag value --switch`: the switches named in `switches` take no value. */
export function parseArgs(argv: readonly string[], switches: readonly string[], usage: string): { command: string | undefined; positional: string[]; flags: Map<string, string> } {
  const [command, ...rest] = argv;
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) positional.push(arg);
    else if (switches.includes(arg.slice(2))) flags.set(arg.slice(2), 'true');
    else if (i + 1 >= rest.length || rest[i + 1].startsWith('--')) throw new Error(`${arg} needs a value\n${usage}`);
    else flags.set(arg.slice(2), rest[++i]);
  }
  return { command, positional, flags };
}

/** Rows as aligned columns under a header. */
export function columns(header: readonly string[], lines: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [header, ...lines].map((l) => l.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
