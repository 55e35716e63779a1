import { AwsError } from './errors.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The flat `Name.Member.N.Field=value` parameters of an awsQuery request, read the way AWS reads them. */
export class QueryParams {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** URL query parameters and form body together, as AWS accepts both. */
  static fromRequest(url: string, body: Buffer): QueryParams {
    const values = new Map<string, string>();
    const queryAt = url.indexOf('?');
    const sources = [queryAt < 0 ? '' : url.slice(queryAt + 1), body.toString('utf8')];
    for (const source of sources) {
      for (const [key, value] of new URLSearchParams(source)) values.set(key, value);
    }
    return new QueryParams(values);
  }

  get(name: string): string | undefined {
    const value = this.values.get(name);
    return value === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.get(name);
    if (value === undefined)
      throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
    return value;
  }

  bool(name: string): boolean | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${value}) for parameter ${name} is invalid. Expected a boolean.`,
    );
  }

  int(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) {
      throw new AwsError(
        'InvalidParameterValue',
        `Value (${value}) for parameter ${name} is invalid. Expected an integer.`,
      );
    }
    return Number(value);
  }

  /** `Name.member.1`, `Name.Value.2`, …: a list of strings in index order. */
  list(name: string): string[] {
    const pattern = new RegExp(`^${escapeRegExp(name)}\\.(?:[A-Za-z]+\\.)?(\\d+)$`);
    const found: Array<[number, string]> = [];
    for (const [key, value] of this.values) {
      const m = pattern.exec(key);
      if (m) found.push([Number(m[1]), value]);
    }
    return found.sort(([a], [b]) => a - b).map(([, value]) => value);
  }

  /** `Filters.Filter.1.Name`, `Filters.Filter.1.Values.Value.1`, …: one QueryParams per list member. */
  structs(name: string): QueryParams[] {
    const pattern = new RegExp(`^${escapeRegExp(name)}\\.(?:[A-Za-z]+\\.)?(\\d+)\\.(.+)$`);
    const members = new Map<number, Map<string, string>>();
    for (const [key, value] of this.values) {
      const m = pattern.exec(key);
      if (!m) continue;
      const index = Number(m[1]);
      const member = members.get(index) ?? new Map<string, string>();
      member.set(m[2] ?? '', value);
      members.set(index, member);
    }
    return [...members.entries()].sort(([a], [b]) => a - b).map(([, member]) => new QueryParams(member));
  }

  /** RDS `Filters`: filter name → accepted values. */
  filters(): Map<string, string[]> {
    const result = new Map<string, string[]>();
    for (const filter of this.structs('Filters')) {
      const filterName = filter.required('Name');
      result.set(filterName, [...(result.get(filterName) ?? []), ...filter.list('Values')]);
    }
    return result;
  }
}

/** Checks Action and Version of an awsQuery call the way query services do. */
export function queryAction(params: QueryParams, version: string, actions: readonly string[]): string {
  const action = params.get('Action');
  if (!action)
    throw new AwsError('MissingAction', 'The request is missing an action or a required parameter.');
  const requested = params.get('Version');
  if (requested === undefined)
    throw new AwsError('MissingParameter', 'The request must contain the parameter Version');
  if (requested !== version) {
    throw new AwsError('NoSuchVersion', `The requested version (${requested}) of service is not available.`);
  }
  if (!actions.includes(action)) {
    throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${version}`);
  }
  return action;
}
