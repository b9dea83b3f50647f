import { getMetadataStorage } from 'class-validator';

/** class-validator's rule records; opaque here. */
type ValidationMetadata = object;
/** A class constructor, as class-validator keys its rules. */
type Target = abstract new (...args: never[]) => unknown;

type Storage = {
  getTargetValidationMetadatas(target: Target, schema: string, always: boolean, strictGroups: boolean, groups?: string[]): ValidationMetadata[];
  groupByPropertyName(metadata: ValidationMetadata[]): Record<string, ValidationMetadata[]>;
  addValidationMetadata(metadata: ValidationMetadata): void;
  niryatCached?: true;
};

/**
 * class-validator looks up a class's rules on every validation, walking every class it knows to
 * find ancestors: with the platform's few hundred payload and DTO classes that was a tenth of the
 * reporting consumer's CPU (bench:freshness profile). The lookup depends only on the registered
 * rules and its arguments, so it is memoised per class and arguments, and forgotten whenever a
 * rule is registered. Results are shared, never mutated by class-validator's executor.
 */
export function cacheValidationMetadata(): void {
  const storage = getMetadataStorage() as unknown as Storage;
  if (storage.niryatCached) return;
  storage.niryatCached = true;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const register = storage.addValidationMetadata.bind(storage);
  let byTarget = new Map<Target, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();

  storage.addValidationMetadata = (metadata) => {
    byTarget = new Map();
    grouped = new WeakMap();
    register(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
}
