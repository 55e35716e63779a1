/**
 * Errors that cross module boundaries. Each lazily loaded bundle carries its own copy of these classes, so a plain
 * `instanceof` would fail for an error thrown in one bundle and caught in another. They carry a brand under a
 * global symbol instead, and `instanceof` checks the brand: one identity in every bundle.
 */
const BRAND = Symbol.for('lendos.error.kinds');

/** Marks `error` as being of `kind` (and keeps the kinds of its base classes). */
export function brand(error: Error, kind: string): void {
  const kinds = (error as unknown as Record<symbol, unknown>)[BRAND];
  const list = Array.isArray(kinds) ? (kinds as string[]) : [];
  Object.defineProperty(error, BRAND, { value: [...list, kind], configurable: true, enumerable: false });
}

/** Whether `value` was branded with `kind`, by this bundle's copy of the class or any other's. */
export function hasBrand(value: unknown, kind: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const kinds = (value as Record<symbol, unknown>)[BRAND];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** An error meant for a person: it says what is wrong and what to do; nothing was changed. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly reason: string = 'invalid-input',
  ) {
    super(message);
    this.name = 'UserError';
    brand(this, 'UserError');
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'UserError');
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
