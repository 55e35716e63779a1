/** An error meant for a person: it says what is wrong and what to do; nothing was changed. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly reason: string = 'invalid-input',
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
