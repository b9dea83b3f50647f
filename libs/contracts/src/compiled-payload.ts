import { TransformationType, TypeMetadata } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, IS_OPTIONAL, ValidationArguments, ValidationTypes, ValidatorConstraintInterface } from 'class-validator';
import type { PayloadClass } from './event-definition';

/**
 * parsePayload's fast path for its common case, a valid payload. plainToInstance and validateSync
 * look their decorators' metadata up again for every object and every key, and validateSync builds
 * an error object for every property, valid or not: most of their cost, and parsePayload was the
 * reporting consumer's biggest CPU cost (bench/parse-payload.ts measures both paths). Here each
 * payload class is compiled once, from the same metadata, into the instances plainToInstance would
 * build and the rules validateSync would check, and the rules are checked by calling the very
 * constraint implementations class-validator calls, with the same arguments.
 *
 * It only ever vouches: `vouchedPayload` gives the instance plainToInstance would build when
 * validateSync (whitelist, forbidNonWhitelisted, forbidUnknownValues) would find nothing wrong with
 * it, and undefined otherwise, whereupon parsePayload takes the libraries' path, so every refusal
 * is still worded by class-validator. What it does not reproduce exactly it leaves to that path: a
 * class with an unsupported decorator or option anywhere in its tree is not compiled, and a value
 * that JSON cannot carry (a Date, a Map, a class instance, a function) is not vouched for.
 */

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
type Instance = Record<string, unknown>;
type Condition = (object: object, value: unknown) => boolean;

/** One rule of a property, with the constraint implementations class-validator calls for it. */
interface Rule {
  /** The name of the class whose instance is checked: `object.constructor.name` to class-validator. */
  readonly targetName: string;
  readonly property: string;
  readonly constraints: unknown[];
  /** `{ each: true }`: an array value is checked element by element, any other value as a whole. */
  readonly each: boolean;
  readonly validators: readonly ValidatorConstraintInterface[];
}

interface PropertyPlan {
  readonly name: string;
  /** `@IsOptional()`'s condition: when it is false, no other rule of the property runs. */
  readonly conditions: readonly Condition[];
  /** The constraint rules, `@IsDefined()` included: the verdict needs all, whatever their order. */
  readonly rules: readonly Rule[];
  /** A `@ValidateNested()` property's `@Type` class: its objects become instances checked by this plan. */
  readonly nested: ClassPlan | undefined;
}

interface ClassPlan {
  readonly payloadClass: PayloadClass<object>;
  /** Every property with a rule, in validateSync's order. */
  readonly properties: readonly PropertyPlan[];
  /** The same by name: the only keys the whitelist admits. */
  readonly byName: ReadonlyMap<string, PropertyPlan>;
}

export type Compilation<P extends object> = { ok: true; parse(json: object): P | undefined } | { ok: false; reason: string };

/** A decorator, option or class shape the fast path does not reproduce: the class keeps the libraries' path. */
class Unsupported extends Error {}

/** What a value that cannot be vouched for builds to; never a value of a payload. */
const REFUSED = Symbol('refused');

/**
 * Compiles a payload class, or says why it cannot be: the reason names the class and property.
 * Any failure while compiling counts as a reason, so compiling can never make parsePayload throw.
 */
export function compilePayload<P extends object>(payloadClass: PayloadClass<P>): Compilation<P> {
  try {
    const plan = compileClass(payloadClass, undefined, []);
    return { ok: true, parse: (json) => vouch(plan, json) as P | undefined };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

let compilations = new WeakMap<PayloadClass<object>, Compilation<object>>();

/** The instance plainToInstance would build from `json` when validateSync would accept it; otherwise undefined. */
export function vouchedPayload<P extends object>(payloadClass: PayloadClass<P>, json: object): P | undefined {
  let compilation = compilations.get(payloadClass);
  if (!compilation) compilations.set(payloadClass, (compilation = compilePayload(payloadClass)));
  return compilation.ok ? (compilation.parse(json) as P | undefined) : undefined;
}

/**
 * A compilation holds the rules registered when it was made. Registering more later (a decorator
 * applied after the first parse) forgets every compilation, as validation-metadata-cache.ts forgets
 * its lookups, so a payload is never vouched for by outdated rules.
 */
function forgetCompilationsOnNewRules(): void {
  const forget = () => {
    compilations = new WeakMap();
  };
  intercept(getMetadataStorage(), ['addValidationMetadata', 'addConstraintMetadata'], forget);
  intercept(defaultMetadataStorage, ['addTypeMetadata', 'addTransformMetadata', 'addExposeMetadata', 'addExcludeMetadata'], forget);
}

function intercept<K extends string>(storage: Record<K, (metadata: never) => void>, methods: readonly K[], before: () => void): void {
  for (const method of methods) {
    const original = storage[method].bind(storage);
    storage[method] = (metadata: never) => {
      before();
      original(metadata);
    };
  }
}

forgetCompilationsOnNewRules();

function vouch(plan: ClassPlan, json: object): object | undefined {
  try {
    const instance = buildObject(plan, json);
    return instance !== REFUSED && checkObject(plan, instance) ? instance : undefined;
  } catch {
    // A constraint that throws on this value: the libraries' path meets the same value and decides.
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Compiling: the metadata validateSync and plainToInstance read, read once.

function compileClass(payloadClass: PayloadClass<object>, schema: string | undefined, outer: readonly PayloadClass<object>[]): ClassPlan {
  const name = payloadClass.name;
  if (outer.includes(payloadClass)) throw new Unsupported(`${name} contains itself`);
  refuseTransformerRules(payloadClass);
  refuseUnusualInstances(payloadClass);
  // validateSync's own lookup for these options: no groups, `always` and `strictGroups` false, the
  // schema undefined for the payload and the owner's name for a nested object (typed `string`, but
  // class-validator passes undefined itself).
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(payloadClass, schema as string, false, false, undefined);
  if (metadatas.length === 0) throw new Unsupported(`${name} has no validation rules, so forbidUnknownValues refuses every value of it`);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const metadata of metadatas) {
    if (typeof metadata.target !== 'function') throw new Unsupported(`${name}.${metadata.propertyName}: a rule of a validation schema`);
    byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);
  }
  const stack = [...outer, payloadClass];
  const properties = [...byProperty].map(([property, group]) => compileProperty(payloadClass, property, group, stack));
  return { payloadClass, properties, byName: new Map(properties.map((property) => [property.name, property])) };
}

/** `@Expose` and `@Exclude` change which keys plainToInstance copies, and under which names. */
function refuseTransformerRules(payloadClass: PayloadClass<object>): void {
  const storage = defaultMetadataStorage;
  if (storage.getStrategy(payloadClass) !== 'none' || storage.getExposedMetadatas(payloadClass).length > 0 || storage.getExcludedMetadatas(payloadClass).length > 0) {
    throw new Unsupported(`${payloadClass.name}: @Expose or @Exclude`);
  }
}

/**
 * plainToInstance starts from `new Class()`: fields set by the constructor would be validated (and
 * whitelisted) too, and a constructor that returns another object builds something else.
 */
function refuseUnusualInstances(payloadClass: PayloadClass<object>): void {
  const probe = new payloadClass();
  if (Object.getPrototypeOf(probe) !== payloadClass.prototype || payloadClass.prototype.constructor !== payloadClass || Reflect.ownKeys(probe).length > 0) {
    throw new Unsupported(`${payloadClass.name}: its constructor sets fields or returns another object`);
  }
}

function compileProperty(owner: PayloadClass<object>, name: string, metadatas: readonly ValidationMetadata[], stack: readonly PayloadClass<object>[]): PropertyPlan {
  const where = `${owner.name}.${name}`;
  if (name in owner.prototype) throw new Unsupported(`${where}: the prototype has a member of that name, which plainToInstance does not overwrite`);
  if (defaultMetadataStorage.findTransformMetadatas(owner, name, TransformationType.PLAIN_TO_CLASS).length > 0) throw new Unsupported(`${where}: @Transform`);
  const conditions: Condition[] = [];
  const rules: Rule[] = [];
  const nested: ValidationMetadata[] = [];
  for (const metadata of metadatas) {
    refuseOptions(where, metadata);
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION && metadata.name === IS_OPTIONAL && typeof metadata.constraints[0] === 'function') {
      conditions.push(metadata.constraints[0] as Condition);
    } else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION || metadata.type === ValidationTypes.IS_DEFINED) {
      rules.push(ruleOf(owner, metadata));
    } else if (metadata.type === ValidationTypes.NESTED_VALIDATION) {
      nested.push(metadata);
    } else {
      throw new Unsupported(`${where}: a rule of type '${metadata.type}'${metadata.name ? ` named '${metadata.name}'` : ''} is not reproduced`);
    }
  }
  return { name, conditions, rules, nested: nestedPlanOf(owner, name, nested, stack) };
}

/** Options that change when a rule runs; none of the payloads needs them. */
function refuseOptions(where: string, metadata: ValidationMetadata): void {
  // `groups` and `always` are typed as always set, but class-validator leaves them undefined when unused.
  const groups: readonly string[] | undefined = metadata.groups;
  if (groups !== undefined && groups.length > 0) throw new Unsupported(`${where}: validation groups`);
  if (metadata.always !== undefined) throw new Unsupported(`${where}: the 'always' option`);
  if (metadata.validateIf) throw new Unsupported(`${where}: the 'validateIf' option`);
}

function ruleOf(owner: PayloadClass<object>, metadata: ValidationMetadata): Rule {
  const where = `${owner.name}.${metadata.propertyName}`;
  const implementations = getMetadataStorage().getTargetValidatorConstraints(metadata.constraintCls);
  if (implementations.length === 0) throw new Unsupported(`${where}: the rule '${metadata.name}' has no constraint implementation`);
  // validateSync skips asynchronous constraints altogether; leave that oddity to it.
  const asynchronous = implementations.find((constraint) => constraint.async);
  if (asynchronous) throw new Unsupported(`${where}: the constraint '${asynchronous.name}' is asynchronous`);
  return {
    targetName: owner.name,
    property: metadata.propertyName,
    constraints: metadata.constraints,
    each: Boolean(metadata.each),
    // The container's instance, as class-validator's ConstraintMetadata.instance gives it on every call.
    validators: implementations.map((constraint) => constraint.instance),
  };
}

/**
 * The plan of a `@ValidateNested()` property's objects. Only with `@Type`, and `@Type` only with
 * `@ValidateNested()`: a nested object without its class is refused by forbidUnknownValues, and a
 * typed object that is not validated would need another whitelist.
 */
function nestedPlanOf(owner: PayloadClass<object>, name: string, nested: readonly ValidationMetadata[], stack: readonly PayloadClass<object>[]): ClassPlan | undefined {
  const where = `${owner.name}.${name}`;
  const type = typeOf(where, owner, name);
  if (nested.length === 0 && type) throw new Unsupported(`${where}: @Type without @ValidateNested()`);
  if (nested.length === 0) return undefined;
  if (nested.length > 1) throw new Unsupported(`${where}: @ValidateNested() twice`);
  if (!type) throw new Unsupported(`${where}: @ValidateNested() without @Type`);
  // The schema class-validator looks the nested rules up with: the name of the class that declared the property.
  const target = nested[0].target;
  return compileClass(type, typeof target === 'string' ? target : target.name, stack);
}

/** The class `@Type(() => Class)` gives a property, when plainToInstance builds it in the plain way. */
function typeOf(where: string, owner: PayloadClass<object>, name: string): PayloadClass<object> | undefined {
  // Typed as always found; undefined when the property has no @Type.
  const metadata = defaultMetadataStorage.findTypeMetadata(owner, name) as TypeMetadata | undefined;
  if (!metadata) return undefined;
  if (metadata.options?.discriminator) throw new Unsupported(`${where}: @Type with a discriminator`);
  // A type function that reads its arguments may give another class per object.
  if (typeof metadata.typeFunction !== 'function' || metadata.typeFunction.length > 0) throw new Unsupported(`${where}: @Type without a constant type function`);
  const type: unknown = metadata.typeFunction();
  if (typeof type !== 'function') throw new Unsupported(`${where}: @Type gives no class`);
  const reflected: unknown = metadata.reflectedType;
  // An array value becomes `new reflectedType()` when that is a Set or has a push method, else a plain array.
  const plainArrays = reflected === undefined || reflected === Array || reflected === Object || (reflected === type && !('push' in type.prototype) && !(type.prototype instanceof Set));
  if (!plainArrays) throw new Unsupported(`${where}: the property's declared type ${String(reflected)} changes how arrays are built`);
  return type as PayloadClass<object>;
}

// ---------------------------------------------------------------------------------------------
// Building: what plainToInstance makes of JSON, for the compiled classes.

/** A typed object: a new instance with the payload's keys copied, or REFUSED for a key the whitelist refuses. */
function buildObject(plan: ClassPlan, plain: object): Instance | typeof REFUSED {
  if (Object.getPrototypeOf(plain) !== Object.prototype) return REFUSED;
  const instance = new plan.payloadClass() as Instance;
  for (const key of Object.keys(plain)) {
    const property = plan.byName.get(key);
    if (!property) {
      if (skippedKey(plan, instance, key)) continue;
      return REFUSED;
    }
    const built = buildValue(property.nested, (plain as Instance)[key]);
    if (built === REFUSED) return REFUSED;
    instance[key] = built;
  }
  return instance;
}

/**
 * Keys plainToInstance passes over, so the whitelist never sees them: `__proto__`, `constructor`,
 * and names the instance already has as a method or read-only accessor (`toString`, `valueOf`, ...).
 */
function skippedKey(plan: ClassPlan, instance: Instance, key: string): boolean {
  if (key === '__proto__' || key === 'constructor') return true;
  const descriptor = Object.getOwnPropertyDescriptor(plan.payloadClass.prototype, key);
  return (descriptor !== undefined && !descriptor.set) || instance[key] instanceof Function;
}

/**
 * A property value: scalars as they are, arrays element by element into new arrays (holes left
 * out, as forEach does), objects into instances of the property's `@Type` class. An untyped object
 * (which no rule of a payload accepts) and anything JSON cannot carry are REFUSED.
 */
function buildValue(type: ClassPlan | undefined, value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return buildArray(type, value);
  return type && typeof value === 'object' ? buildObject(type, value) : REFUSED;
}

function buildArray(type: ClassPlan | undefined, array: unknown[]): unknown[] | typeof REFUSED {
  if (Object.getPrototypeOf(array) !== Array.prototype) return REFUSED;
  const built: unknown[] = [];
  for (let i = 0; i < array.length; i++) {
    if (!(i in array)) continue;
    const element = buildValue(type, array[i]);
    if (element === REFUSED) return REFUSED;
    built.push(element);
  }
  return built;
}

// ---------------------------------------------------------------------------------------------
// Checking: validateSync's verdict on the built instance, without its error objects.

function checkObject(plan: ClassPlan, instance: Instance): boolean {
  for (const property of plan.properties) {
    if (!checkProperty(property, instance)) return false;
  }
  return true;
}

function checkProperty(property: PropertyPlan, object: Instance): boolean {
  const value = object[property.name];
  for (const condition of property.conditions) {
    if (!condition(object, value)) return true;
  }
  for (const rule of property.rules) {
    if (!passes(rule, object, value)) return false;
  }
  return property.nested === undefined || checkNested(property.nested, value);
}

function passes(rule: Rule, object: Instance, value: unknown): boolean {
  const args: ValidationArguments = {
    targetName: rule.targetName,
    property: rule.property,
    object,
    value,
    constraints: rule.constraints,
  };
  for (const validator of rule.validators) {
    if (rule.each && Array.isArray(value)) {
      for (const element of value) {
        if (!accepted(validator.validate(element, args))) return false;
      }
    } else if (!accepted(validator.validate(value, args))) {
      return false;
    }
  }
  return true;
}

/** A truthy result passes; a promise validateSync does not wait for, so it is not vouched for. */
function accepted(result: unknown): boolean {
  return Boolean(result) && typeof (result as { then?: unknown }).then !== 'function';
}

/** class-validator's nested validation: nothing to check when undefined, arrays element by element, only objects. */
function checkNested(plan: ClassPlan, value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.every((element) => checkNested(plan, element));
  // Built objects of a nested property are always instances of its class, checked by its plan.
  return value instanceof plan.payloadClass && checkObject(plan, value as Instance);
}
