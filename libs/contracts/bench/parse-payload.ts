import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { examplePayloadsOf } from '../src/asyncapi-examples';
import { flattenValidationErrors, parsePayload, PayloadResult } from '../src/event-definition';
import { ExportRecorded, ExportRecordedV1 } from '../src/events/exports.events';

/**
 * What parsePayload costs per valid ExportRecorded payload (the reporting consumer's hottest call):
 * the libraries' path it took for every payload (plainToInstance, then validateSync) next to
 * parsePayload with its compiled check, on the payloads of docs/asyncapi.yaml's examples.
 *
 *   npm run bench:parse-payload [-- iterations per round]
 */

const ITERATIONS = Number(process.argv[2] ?? 30_000);
const ROUNDS = 7;

/** parsePayload as it was before the compiled check: still its path for everything the check does not vouch for. */
function librariesPath(json: object): PayloadResult<ExportRecordedV1> {
  const instance = plainToInstance(ExportRecordedV1, json);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return errors.length === 0 ? { ok: true, payload: instance } : { ok: false, errors: flattenValidationErrors(errors) };
}

const compiledPath = (json: object) => parsePayload(ExportRecordedV1, json);

const examples = examplePayloadsOf(ExportRecorded.type) as object[];
// Each payload its own JSON.parse result, as a consumer gets one from every record.
const payloads: object[] = Array.from({ length: 1_000 }, (_, i) => JSON.parse(JSON.stringify(examples[i % examples.length])) as object);

/** Microseconds per payload over `iterations` calls; every payload must be valid, or nothing is measured. */
function microsPerPayload(parse: (json: object) => PayloadResult<ExportRecordedV1>, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const result = parse(payloads[i % payloads.length]);
    if (!result.ok) throw new Error(`an example payload is refused: ${JSON.stringify(result.errors)}`);
  }
  return Number(process.hrtime.bigint() - start) / 1_000 / iterations;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
  if (!Number.isInteger(ITERATIONS) || ITERATIONS < 1) throw new Error(`iterations must be a positive integer, got '${process.argv[2]}'`);
  // Warm-up: both paths compiled by V8, and the payload class compiled by parsePayload.
  microsPerPayload(librariesPath, 5_000);
  microsPerPayload(compiledPath, 5_000);
  const libraries: number[] = [];
  const compiled: number[] = [];
  // Alternating rounds, so that a slower stretch of the machine does not favour one path.
  for (let round = 0; round < ROUNDS; round++) {
    libraries.push(microsPerPayload(librariesPath, ITERATIONS));
    compiled.push(microsPerPayload(compiledPath, ITERATIONS));
  }
  const slow = median(libraries);
  const fast = median(compiled);
  process.stdout.write(
    [
      `parsePayload(ExportRecordedV1, valid payload): median of ${ROUNDS} rounds of ${ITERATIONS} calls, ${examples.length} example payloads`,
      `  plainToInstance + validateSync   ${slow.toFixed(1).padStart(7)} µs per payload`,
      `  parsePayload (compiled check)    ${fast.toFixed(1).padStart(7)} µs per payload`,
      `  ${(slow / fast).toFixed(1)}x faster`,
      '',
    ].join('\n'),
  );
}

main();
