/**
 * class-transformer's metadata storage (the `@Type`, `@Transform`, `@Expose` and `@Exclude` records)
 * is not exported from its index; the module that holds it ships without typings of its own, so it
 * is typed here from the package's declaration of the same module.
 */
declare module 'class-transformer/cjs/storage' {
  export * from 'class-transformer/types/storage';
}
