import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A message a forked bench process sends: `kind` says which, the rest is the kind's own. */
export interface ForkedMessage {
  kind: string;
  at?: number;
  message?: string;
  [field: string]: unknown;
}

/**
 * A TypeScript entry in a process of its own (the benches' child protocol: configuration as JSON in
 * BENCH_CHILD_CONFIG, progress back over IPC), so the bench's own work never shares its CPU.
 */
export class Forked {
  readonly messages: ForkedMessage[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly waiters: { kind: string; resolve: (m: ForkedMessage) => void }[] = [];

  constructor(entry: string, config: object, env: Record<string, string> = {}) {
    this.child = fork(entry, [], {
      cwd: REPO_ROOT,
      execArgv: ['-r', '@swc-node/register'],
      env: { ...process.env, BENCH_CHILD_CONFIG: JSON.stringify(config), KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: ForkedMessage) => {
      this.messages.push(message);
      for (const waiter of this.waiters.filter((w) => w.kind === message.kind)) waiter.resolve(message);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** The first message of `kind`; fails if the process reports a failure, exits first, or the time runs out. */
  async next(kind: string, timeoutMs: number): Promise<ForkedMessage> {
    const seen = this.messages.find((m) => m.kind === kind);
    if (seen) return seen;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        new Promise<ForkedMessage>((resolve) => this.waiters.push({ kind, resolve })),
        this.failure(),
        this.exited.then(({ code, signal }) => Promise.reject(new Error(`the process exited (${signal ?? code}) before "${kind}"`))),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no "${kind}" within ${timeoutMs / 1000} s`)), timeoutMs))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private failure(): Promise<never> {
    return new Promise<ForkedMessage>((resolve) => this.waiters.push({ kind: 'failed', resolve })).then((m) => Promise.reject(new Error(`the process failed: ${String(m.message).split('\n')[0]}`)));
  }

  /** Asks it to stop (`{ kind: 'stop' }`), SIGKILL if it has not exited after the grace period. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ kind: 'stop' });
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
