import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { testInfra } from '@niryat/testing';

/** Runs fixtures/tally-consumer.process.ts in a child process and lets a test wait for its output lines. */
export class ChildConsumer {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private listeners: (() => void)[] = [];
  private stderr = '';

  constructor(namespace: string, mode: 'normal' | 'crash-after-commit' | 'slow', chunk = 1000, fetchWhileApplying = false) {
    const { kafkaBrokers, databaseUrl } = testInfra();
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'fixtures', 'tally-consumer.process.ts')], {
      env: {
        ...process.env,
        KAFKA_BROKERS: kafkaBrokers,
        DATABASE_URL: databaseUrl,
        TALLY_NAMESPACE: namespace,
        TALLY_MODE: mode,
        TALLY_CHUNK: String(chunk),
        TALLY_FETCH_WHILE_APPLYING: fetchWhileApplying ? '1' : '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    this.child.stdout?.on('data', (data: Buffer) => {
      buffer += data.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      this.lines.push(...parts.filter(Boolean));
      this.listeners.forEach((notify) => notify());
    });
    this.child.stderr?.on('data', (data: Buffer) => {
      this.stderr += data.toString('utf8');
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first output line starting with `prefix`; fails if the child exits first. */
  waitForLine(prefix: string, timeoutMs = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const line = this.lines.find((l) => l.startsWith(prefix));
        if (line) {
          cleanup();
          resolve(line);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`child never printed '${prefix}' (lines: ${this.lines.join(' | ')}; stderr: ${this.stderr.slice(-2000)})`));
      }, timeoutMs);
      const onExit = () => {
        setTimeout(() => {
          cleanup();
          reject(new Error(`child exited before printing '${prefix}' (stderr: ${this.stderr.slice(-2000)})`));
        }, 50);
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        this.child.off('exit', onExit);
      };
      this.listeners.push(check);
      this.child.once('exit', onExit);
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
