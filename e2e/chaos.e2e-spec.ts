import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * `npm run chaos`, the short run: a simulator stream with duplicates, shuffled orders and garbage
 * against a platform of its own (its own Kafka and PostgreSQL, exports and reporting with two
 * replicas each), while services are SIGKILLed and started again and the broker and the database
 * are restarted. Every accepted event must count exactly once: no difference from the truth. Then
 * Kafka's data is wiped under the kept database: the consumers must refuse loudly, not carry on.
 */
describe('npm run chaos: the short fault run (its own Kafka, PostgreSQL and six service instances)', () => {
  it('ends with the platform showing exactly the truth after every fault', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'apps/simulator/src/chaos.ts'], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string; code?: number }) => {
        throw new Error(`npm run chaos exited ${error.code}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
      },
    );
    const figure = (label: string) => Number(new RegExp(`^${label}\\s+(\\d+)`, 'm').exec(stdout)?.[1] ?? NaN);
    expect(figure('differences from the truth')).toBe(0);
    expect(figure('events sent')).toBeGreaterThan(20_000);
    for (const fault of ['kill-exports', 'kill-reporting', 'kill-onboarding', 'restart-kafka', 'restart-postgres']) expect(figure(`fault ${fault}`)).toBeGreaterThanOrEqual(1);
    expect(figure('dead letters MESSAGING.NOT_JSON')).toBeGreaterThan(0);
    // Kafka's data wiped under the kept database: every exports and reporting instance stops and says so, none carries on.
    expect(stdout).toMatch(/^consumers refusing after the wipe\s+4\s+of 4 /m);
  }, 600_000);
});
