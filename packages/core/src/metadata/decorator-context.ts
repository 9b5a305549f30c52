import { METADATA_SYMBOL } from './symbol-metadata.js';

/**
 * bigrays decorators run under both TypeScript's legacy
 * `experimentalDecorators` and standard (TC39) decorators. Standard ones
 * receive a context object as their second argument; legacy ones receive a
 * prototype/constructor and a property key.
 */
export interface StandardContext {
  kind: 'class' | 'field' | 'method' | 'getter' | 'setter' | 'accessor';
  name: string | symbol | undefined;
  static?: boolean;
  metadata?: Record<PropertyKey, unknown>;
}

export function isStandardContext(value: unknown): value is StandardContext {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/** Standard-decorator metadata of a class (inherits from its base class's). */
export function standardMetadata(target: object): Record<PropertyKey, unknown> | undefined {
  return (target as Record<PropertyKey, unknown>)[METADATA_SYMBOL] as Record<PropertyKey, unknown> | undefined;
}
