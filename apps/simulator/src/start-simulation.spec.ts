import { join } from 'node:path';
import { parseArgs } from './main';

interface GentleSimulation {
  tag: string;
  logFile: string;
  args: string[];
  summary: string;
}
// The run npm start begins in the background: its arguments must be ones this simulator takes.
// Loaded by path, as e2e/platform-stack.ts loads the launchers: a script, not a library of the workspace.
const START = join(__dirname, '..', '..', '..', 'tools', 'run', 'start.js');
const { gentleSimulation } = require(START) as { gentleSimulation: (now: number, runsDir: string) => GentleSimulation };

describe('npm start: the gentle simulator run', () => {
  const runsDir = join('/repo', '.local', 'dev', 'simulator');
  const run = gentleSimulation(Date.parse('2026-12-06T10:00:00Z'), runsDir);

  it('asks the simulator for a small world, a bounded count of orders at a few a second, then verify', () => {
    const parsed = parseArgs(run.args);
    expect(parsed).toMatchObject({ command: 'run', tag: run.tag, verifyAfter: true });
    expect(parsed.options.sellers).toBeLessThanOrEqual(20);
    expect(parsed.options.orders).toBeLessThanOrEqual(1_000);
    // 2 to 6 events an order: a few orders a second.
    expect(parsed.options.rate).toBeGreaterThanOrEqual(4);
    expect(parsed.options.rate).toBeLessThanOrEqual(20);
    expect(run.summary).toBe(`world ${run.tag} in the background: ${parsed.options.sellers} sellers, ${parsed.options.orders} orders at about 2 a second, then verify`);
  });

  it('names a new world every start (a tag is used once per platform), its log beside its record', () => {
    expect(gentleSimulation(Date.parse('2026-12-06T10:00:01Z'), runsDir).tag).not.toBe(run.tag);
    expect(run.logFile).toBe(join(runsDir, `${run.tag}.log`));
  });
});
