// TypeScript's and esbuild's standard decorators hand `context.metadata` to
// decorators only when `Symbol.metadata` exists; Node 20 lacks it. Defining it
// (as both compilers' helpers expect, via Symbol.for) before any job class is
// evaluated lets field decorators share records with the class decorator.
const symbols = Symbol as unknown as { metadata?: symbol };
symbols.metadata ??= Symbol.for('Symbol.metadata');

export const METADATA_SYMBOL: symbol = symbols.metadata;
