import { WORLD_REGION, type AwsIdentity } from './accounts.js';
import { AwsError } from './errors.js';

/**
 * Whose RDS resources a call reaches: those of the region it was signed for (all of the world's are in
 * WORLD_REGION) and of one account. A runbook profile's key reaches its own account only, as in AWS; the world's
 * own key (profile `default`) reaches every account, so tests and tools signed with it see the whole world.
 */
export type RdsScope = { region: string } & ({ kind: 'account'; account: string } | { kind: 'world' });

export function rdsScopeOf(identity: AwsIdentity, region: string): RdsScope {
  return identity.profile === 'default'
    ? { kind: 'world', region }
    : { kind: 'account', account: identity.account, region };
}

export const reaches = (scope: RdsScope, account: string): boolean =>
  scope.region === WORLD_REGION && (scope.kind === 'world' || scope.account === account);

/** What a caller names a resource by: its identifier, or its ARN (which also names account and region). */
export interface ResourceRef {
  identifier: string;
  account?: string;
  region?: string;
}

/** `name` or `arn:aws:rds:region:account:kind:name` (an automated snapshot's name holds a colon), lower-cased. */
export function resourceRef(value: string): ResourceRef {
  if (!value.startsWith('arn:')) return { identifier: value.toLowerCase() };
  const parts = value.split(':');
  return {
    identifier: parts.slice(6).join(':').toLowerCase(),
    region: parts[3],
    account: parts[4],
  };
}

/** An RDS record lives in one account under an identifier unique within that account. */
export interface AccountRecord {
  account: string;
  identifier: string;
}

/** How a kind of record is named in RDS's answers, e.g. `DBClusterSnapshot`. */
export interface RecordKind {
  name: string;
  notFoundCode: string;
}

const keyOf = (account: string, identifier: string): string => `${account}/${identifier}`;

/** One kind of RDS record, kept per account: the same identifier in two accounts is two records. */
export class AccountRecords<T extends AccountRecord> {
  private readonly records = new Map<string, T>();

  constructor(private readonly kind: RecordKind) {}

  all(): T[] {
    return [...this.records.values()];
  }

  visibleTo(scope: RdsScope): T[] {
    return this.all().filter((record) => reaches(scope, record.account));
  }

  get(account: string, identifier: string): T | undefined {
    return this.records.get(keyOf(account, identifier));
  }

  has(account: string, identifier: string): boolean {
    return this.records.has(keyOf(account, identifier));
  }

  add(record: T): void {
    this.records.set(keyOf(record.account, record.identifier), record);
  }

  remove(record: T): void {
    this.records.delete(keyOf(record.account, record.identifier));
  }

  /** The record the caller means; another account's record is as missing as one that never existed. */
  resolve(scope: RdsScope, given: string): T {
    const ref = resourceRef(given);
    const matches =
      ref.region !== undefined && ref.region !== WORLD_REGION
        ? []
        : this.visibleTo(scope).filter(
            (record) =>
              record.identifier === ref.identifier &&
              (ref.account === undefined || record.account === ref.account),
          );
    const [first, second] = matches;
    if (!first) throw new AwsError(this.kind.notFoundCode, `${this.kind.name} ${given} not found.`, 404);
    if (second) throw this.ambiguous(given, matches);
    return first;
  }

  /** Only the world's own key can meet a name held by two accounts. */
  private ambiguous(given: string, matches: readonly T[]): AwsError {
    const accounts = matches.map((record) => record.account).join(' and ');
    return new AwsError(
      'InvalidParameterCombination',
      `${this.kind.name} ${given} exists in accounts ${accounts}; the world's own key reaches every account, ` +
        `so give its ARN or sign with that account's profile.`,
    );
  }
}
