import 'reflect-metadata';
import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  validateSync,
} from 'class-validator';
import { inspect, isDeepStrictEqual } from 'node:util';
import { dereference, isObject, loadAsyncApi } from './asyncapi-document';
import { examplePayloadsOf } from './asyncapi-examples';
import { compilePayload, vouchedPayload } from './compiled-payload';
import { EVENT_CATALOG } from './event-catalog';
import { flattenValidationErrors, parsePayload, PayloadClass, PayloadResult } from './event-definition';
import { ExportLineV1, ExportRecorded, ExportRecordedV1, FxRateUsedV1 } from './events/exports.events';

/**
 * The compiled check may only vouch for what class-validator accepts, with the instance
 * plainToInstance builds. Every catalogue payload class is compiled, and its AsyncAPI examples and
 * a thousand seeded mutants of them each get the same verdict from it as from the libraries.
 */

/** parsePayload's path before the fast one, as it was: the reference every verdict is compared with. */
function referenceParse<P extends object>(payloadClass: PayloadClass<P>, json: object): PayloadResult<P> {
  const instance = plainToInstance(payloadClass, json);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return errors.length === 0 ? { ok: true, payload: instance } : { ok: false, errors: flattenValidationErrors(errors) };
}

// ---------------------------------------------------------------------------------------------
// Fixtures beyond the catalogue: the rules it does not use yet, but which the fast path reproduces.

class Leaf {
  @IsDefined()
  @IsInt()
  n!: number;

  @IsOptional()
  @IsString({ each: true })
  tags?: string[];
}

class Tree {
  /** No @IsObject(): class-validator also accepts an array of leaves (checked one by one) here. */
  @IsOptional()
  @ValidateNested()
  @Type(() => Leaf)
  leaf?: Leaf;

  /** No @IsArray() either: undefined passes, nested arrays are checked element by element. */
  @ValidateNested({ each: true })
  @Type(() => Leaf)
  leaves!: Leaf[];

  /** `each` on a value that may not be an array: then the value itself is checked. */
  @IsDefined()
  @Matches(/^a+$/, { each: true })
  letters!: string | string[];

  @IsOptional()
  @IsIn([1, 2, 3])
  choice?: number;
}

const TREE_SEEDS: object[] = [
  { leaf: { n: 1 }, leaves: [{ n: 2, tags: ['x'] }, [{ n: 3 }]], letters: ['a', 'aa'] },
  { leaves: [], letters: 'aaa', choice: 2, leaf: [{ n: 4, tags: [] }] },
];

interface Case {
  name: string;
  payloadClass: PayloadClass<object>;
  seeds: object[];
}

const ASYNCAPI = dereference(loadAsyncApi()).document;
const CATALOG_CASES: Case[] = EVENT_CATALOG.map((definition) => ({
  name: definition.type,
  payloadClass: definition.payload,
  seeds: examplePayloadsOf(definition.type, ASYNCAPI).filter(isObject),
}));
const CASES: Case[] = [...CATALOG_CASES, { name: 'fixture Tree', payloadClass: Tree, seeds: TREE_SEEDS }];

// ---------------------------------------------------------------------------------------------
// Seeded mutations.

/**
 * mulberry32: a small seeded generator, so every run tries the same mutants. A copy of the one in
 * @niryat/testing, which the contracts layer may not depend on (module boundaries).
 */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
type Container = Record<string, unknown> | unknown[];

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)];

/** Keys no payload has, some of which plainToInstance skips (`constructor`, `__proto__`, `toString`). */
const UNKNOWN_KEYS = ['extra', 'Extra', 'sellerid', 'x-trace', '0', '', 'constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'then'];

function containersOf(value: unknown, found: Container[] = []): Container[] {
  if (value !== null && typeof value === 'object') {
    const container = value as Container;
    found.push(container);
    for (const child of Object.values(container)) containersOf(child, found);
  }
  return found;
}

/** Every place a value sits in the payload: a key of an object or an index of an array, at any depth. */
function slotsOf(root: object): { parent: Container; key: string }[] {
  return containersOf(root).flatMap((parent) => Object.keys(parent).map((key) => ({ parent, key })));
}

/** The same kind of character elsewhere in the string: often still valid (a UUID, a date, a code). */
function tweakCharacter(random: Random, text: string): string {
  if (text.length === 0) return 'a';
  const i = Math.floor(random() * text.length);
  const c = text[i];
  const alphabet = /\d/.test(c) ? '0123456789' : /[a-f]/.test(c) ? 'abcdef' : /[a-z]/.test(c) ? 'abcdefghijklmnopqrstuvwxyz' : /[A-Z]/.test(c) ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' : '-_.:/ ';
  return text.slice(0, i) + pick(random, [...alphabet]) + text.slice(i + 1);
}

/**
 * A copy made in this realm: structuredClone's objects have another realm's prototypes here, which
 * the compiled check leaves to the libraries (it vouches for plain objects of its own realm only).
 */
const copy = <T>(json: T): T => JSON.parse(JSON.stringify(json)) as T;

function replacementFor(random: Random, current: unknown, pool: readonly unknown[]): unknown {
  const fromPool = () => copy(pick(random, pool));
  const options: (() => unknown)[] = [
    () => null,
    () => undefined,
    () => '',
    () => ' ',
    () => 'x',
    () => 'A'.repeat(1 + Math.floor(random() * 2000)),
    () => 0,
    () => -1,
    () => 1,
    () => 1.5,
    () => -0.5,
    () => 1e21,
    () => Number.MAX_SAFE_INTEGER + 2,
    () => -Number.MAX_SAFE_INTEGER,
    () => NaN,
    () => Infinity,
    () => true,
    () => false,
    () => [],
    () => ({}),
    () => [current],
    () => ({ [pick(random, UNKNOWN_KEYS)]: current }),
    // Values the payloads use elsewhere: the likeliest to keep a payload valid.
    fromPool,
    fromPool,
    fromPool,
    fromPool,
  ];
  if (typeof current === 'string') {
    options.push(
      () => current.toUpperCase(),
      () => current.toLowerCase(),
      () => `${current}x`,
      () => ` ${current}`,
      () => current.slice(1),
      () => current + current,
      () => Number(current),
      () => tweakCharacter(random, current),
      () => tweakCharacter(random, current),
      () => tweakCharacter(random, current),
    );
  }
  if (typeof current === 'number') {
    options.push(() => current + 1, () => current - 1, () => -current, () => current * 1000, () => current / 2, () => Math.trunc(current / 2), () => String(current));
  }
  if (Array.isArray(current)) {
    options.push(
      () => (current.length < 10 ? [...current, ...current] : current.slice(0, 2)),
      () => current.slice(1),
      () => [...current].reverse(),
      () => [...current, fromPool()],
      () => Array.from({ length: 501 }, () => current[0]),
    );
  }
  return pick(random, options)();
}

/** One mutation anywhere in the payload: an unknown key, a deleted key or element, or a replaced value. */
function mutate(random: Random, root: object, pool: readonly unknown[]): void {
  const kind = random();
  if (kind < 0.15) {
    const objects = containersOf(root).filter((container) => !Array.isArray(container));
    // defineProperty: an assignment to `__proto__` would change the prototype instead of adding a key.
    Object.defineProperty(pick(random, objects), pick(random, UNKNOWN_KEYS), {
      value: replacementFor(random, 'x', pool),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return;
  }
  const slots = slotsOf(root);
  if (slots.length === 0) return;
  const { parent, key } = pick(random, slots);
  if (kind < 0.35) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return;
  }
  const value = replacementFor(random, (parent as Record<string, unknown>)[key], pool);
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else parent[key] = value;
}

/** Every value in the examples (whole objects and arrays too): replacements that the payloads use. */
const POOL: unknown[] = CASES.flatMap((c) => c.seeds).flatMap((seed) => slotsOf(seed).map(({ parent, key }) => (parent as Record<string, unknown>)[key]));

const MUTANTS_PER_CLASS = 1000;

interface Tally {
  compared: number;
  valid: number;
  invalid: number;
  problems: string[];
}

/** Compares the compiled verdict, and parsePayload's result, with the reference path on one payload. */
function compare(payloadClass: PayloadClass<object>, parse: (json: object) => object | undefined, json: object, tally: Tally): void {
  const describe = () => inspect(json, { depth: 8, breakLength: Infinity, maxStringLength: 80, maxArrayLength: 8 });
  let reference: PayloadResult<object>;
  try {
    reference = referenceParse(payloadClass, json);
  } catch {
    // plainToInstance throws on some values (an untyped object with its own `constructor` key).
    if (parse(json) !== undefined) tally.problems.push(`vouched for a payload the libraries throw on: ${describe()}`);
    return;
  }
  const fast = parse(json);
  tally[reference.ok ? 'valid' : 'invalid'] += 1;
  if ((fast !== undefined) !== reference.ok) {
    const why = reference.ok ? 'valid' : `invalid (${reference.errors.map((e) => `${e.field}:${e.code}`).join(', ')})`;
    tally.problems.push(`compiled check says ${fast ? 'valid' : 'invalid'}, class-validator ${why}: ${describe()}`);
  } else if (reference.ok && !isDeepStrictEqual(fast, reference.payload)) {
    tally.problems.push(`instance differs from plainToInstance's: ${inspect(fast, { depth: 8 })} vs ${inspect(reference.payload, { depth: 8 })}`);
  }
  // parsePayload is the compiled check, else the reference path again: compared on a sample, for time.
  if (tally.compared++ % 8 === 0 && !isDeepStrictEqual(parsePayload(payloadClass, json), reference)) {
    tally.problems.push(`parsePayload differs from the reference: ${describe()}`);
  }
}

describe('compiled payload check', () => {
  it('compiles every payload class of the catalogue', () => {
    const refused = CATALOG_CASES.map((c) => ({ type: c.name, compilation: compilePayload(c.payloadClass) }))
      .filter(({ compilation }) => !compilation.ok)
      .map(({ type, compilation }) => `${type}: ${compilation.ok ? '' : compilation.reason}`);
    expect(refused).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: its valid payloads get the instance plainToInstance builds', (_name, { payloadClass, seeds }) => {
    const compilation = compilePayload(payloadClass);
    if (!compilation.ok) throw new Error(compilation.reason);
    expect(seeds.length).toBeGreaterThan(0);
    for (const seed of seeds) {
      const reference = referenceParse(payloadClass, seed);
      expect(reference.ok ? [] : reference.errors).toEqual([]);
      // toStrictEqual: the same class at every level, the same own properties, undefined ones included.
      expect(compilation.parse(seed)).toStrictEqual(reference.ok && reference.payload);
    }
  });

  it('builds ExportRecorded with its lines and rates as instances of their classes', () => {
    const [example] = examplePayloadsOf(ExportRecorded.type, ASYNCAPI).filter(isObject);
    const payload = vouchedPayload(ExportRecordedV1, example);
    expect(payload).toBeInstanceOf(ExportRecordedV1);
    expect(payload?.lines.length).toBeGreaterThan(0);
    expect(payload?.lines.every((line) => line instanceof ExportLineV1)).toBe(true);
    expect([payload?.fxRate, payload?.usdRate].map((rate) => rate instanceof FxRateUsedV1)).toEqual([true, true]);
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s: seeded mutants get class-validator\'s verdict', (_name, { payloadClass, seeds }, index) => {
    const compilation = compilePayload(payloadClass);
    if (!compilation.ok) throw new Error(compilation.reason);
    const random = seededRandom(0x5eed + index);
    const tally: Tally = { compared: 0, valid: 0, invalid: 0, problems: [] };
    for (let i = 0; i < MUTANTS_PER_CLASS; i++) {
      const mutant = copy(pick(random, seeds));
      const mutations = 1 + Math.floor(random() * 3);
      for (let m = 0; m < mutations; m++) mutate(random, mutant, POOL);
      compare(payloadClass, compilation.parse, mutant, tally);
    }
    expect(tally.problems.slice(0, 5)).toEqual([]);
    // Both verdicts occurred, so the comparison could have failed either way.
    expect(tally.valid).toBeGreaterThan(MUTANTS_PER_CLASS / 50);
    expect(tally.invalid).toBeGreaterThan(MUTANTS_PER_CLASS / 2);
  });
});

// ---------------------------------------------------------------------------------------------
// What is not compiled keeps the libraries' path.

@ValidatorConstraint({ async: true })
class EventuallyTrue implements ValidatorConstraintInterface {
  validate(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

class WithValidateIf {
  @ValidateIf((o: WithValidateIf) => o.kind === 'a')
  @IsString()
  kind!: string;
}

class WithTransform {
  @Transform(({ value }: { value: unknown }) => String(value))
  @IsString()
  name!: string;
}

class WithExpose {
  @Expose({ name: 'full_name' })
  @IsString()
  name!: string;
}

@Exclude()
class WithExcludeAll {
  @IsString()
  name!: string;
}

class Untyped {
  @IsObject()
  @ValidateNested()
  leaf!: Leaf;
}

class TypedOnly {
  @Type(() => Leaf)
  @IsObject()
  leaf!: Leaf;
}

class WithGroups {
  @IsString({ groups: ['admin'] })
  name!: string;
}

class WithAlways {
  @IsString({ always: true })
  name!: string;
}

class WithAsync {
  @Validate(EventuallyTrue)
  name!: string;
}

class Recursive {
  @IsOptional()
  @ValidateNested()
  @Type(() => Recursive)
  child?: Recursive;
}

class WithDefault {
  @IsString()
  name: string = 'x';
}

class WithDiscriminator {
  @ValidateNested()
  @Type(() => Leaf, { discriminator: { property: 'kind', subTypes: [{ value: Leaf, name: 'leaf' }] } })
  leaf!: Leaf;
}

class WithMap {
  @ValidateNested()
  @Type(() => Leaf)
  leaves!: Map<string, Leaf>;
}

class NoRules {}

describe('classes the compiled check refuses', () => {
  const cases: [PayloadClass<object>, string, object][] = [
    [WithValidateIf, "WithValidateIf.kind: a rule of type 'conditionalValidation' is not reproduced", { kind: 'b' }],
    [WithTransform, 'WithTransform.name: @Transform', { name: 5 }],
    [WithExpose, 'WithExpose: @Expose or @Exclude', { full_name: 'x' }],
    [WithExcludeAll, 'WithExcludeAll: @Expose or @Exclude', { name: 'x' }],
    [Untyped, 'Untyped.leaf: @ValidateNested() without @Type', { leaf: { n: 1 } }],
    [TypedOnly, 'TypedOnly.leaf: @Type without @ValidateNested()', { leaf: { n: 1 } }],
    [WithGroups, 'WithGroups.name: validation groups', { name: 'x' }],
    [WithAlways, "WithAlways.name: the 'always' option", { name: 'x' }],
    [WithAsync, "WithAsync.name: the constraint 'EventuallyTrue' is asynchronous", { name: 'x' }],
    [Recursive, 'Recursive contains itself', { child: {} }],
    [WithDefault, 'WithDefault: its constructor sets fields or returns another object', {}],
    [WithDiscriminator, 'WithDiscriminator.leaf: @Type with a discriminator', { leaf: { kind: 'leaf', n: 1 } }],
    [WithMap, 'WithMap.leaves: the property\'s declared type function Map() { [native code] } changes how arrays are built', { leaves: [] }],
    [NoRules, 'NoRules has no validation rules, so forbidUnknownValues refuses every value of it', {}],
  ];

  it.each(cases.map(([payloadClass, reason, json]) => [payloadClass.name, payloadClass, reason, json] as const))(
    '%s: not compiled, and parsePayload gives what the libraries give',
    (_name, payloadClass, reason, json) => {
      expect(compilePayload(payloadClass)).toEqual({ ok: false, reason });
      expect(vouchedPayload(payloadClass, json)).toBeUndefined();
      expect(parsePayload(payloadClass, json)).toStrictEqual(referenceParse(payloadClass, json));
    },
  );

  it('forgets a compilation when a rule is registered after it', () => {
    class Late {
      @IsInt()
      count!: number;
    }
    expect(vouchedPayload(Late, { count: 1 })).toBeInstanceOf(Late);
    IsString()(Late.prototype, 'name');
    expect(vouchedPayload(Late, { count: 1 })).toBeUndefined();
    expect(parsePayload(Late, { count: 1 })).toStrictEqual(referenceParse(Late, { count: 1 }));
    expect(vouchedPayload(Late, { count: 1, name: 'x' })).toStrictEqual(Object.assign(new Late(), { count: 1, name: 'x' }));
  });
});
