import type { ResourceType } from './resources.js';
import { badRequest, isRecord, type KubeObject } from './types.js';

type Operator = 'exists' | 'notexists' | 'equals' | 'notequals' | 'in' | 'notin';

interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export type LabelSelector = Requirement[];
export type FieldSelector = { path: string; negate: boolean; value: string }[];

const namePart = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const prefixPart = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function parseError(detail: string): Error {
  return badRequest(`unable to parse requirement: ${detail}`);
}

function checkKey(key: string): void {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && (prefix.length > 253 || !prefixPart.test(prefix))) {
    throw parseError(`Invalid value: "${key}": prefix part must be a lowercase RFC 1123 subdomain`);
  }
  if (!namePart.test(name)) {
    throw parseError(
      `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', ` +
        "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc')",
    );
  }
}

function checkValue(value: string): void {
  if (value.length > 63 || !labelValue.test(value)) {
    throw parseError(
      `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, ` +
        "'-', '_' or '.', and must start and end with an alphanumeric character",
    );
  }
}

/** Splits on commas that are not inside a parenthesised value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (depth !== 0) throw parseError(`found '${selector}', expected: ')'`);
  terms.push(current);
  return terms.map((t) => t.trim());
}

function parseSetTerm(term: string): Requirement | undefined {
  const match = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (!match) return undefined;
  const [, key = '', operator = 'in', list = ''] = match;
  const values = list.split(',').map((v) => v.trim());
  if (values.length === 1 && values[0] === '') throw parseError(`for 'in', 'notin' operators, values set can't be empty`);
  return { key, operator: operator as Operator, values };
}

function parseTerm(term: string): Requirement {
  if (term === '') throw parseError(`found '', expected: !, identifier, or 'end of string'`);
  const set = parseSetTerm(term);
  if (set) return set;
  if (term.startsWith('!')) return { key: term.slice(1).trim(), operator: 'notexists', values: [] };
  const match = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (match) {
    const [, key = '', op, value = ''] = match;
    return { key, operator: op === '!=' ? 'notequals' : 'equals', values: [value] };
  }
  if (/^[^=!\s(),]+$/.test(term)) return { key: term, operator: 'exists', values: [] };
  throw parseError(`found '${term}', expected: in, notin, =, ==, !=, or end of string`);
}

/** Parses the `labelSelector` query grammar (`=`, `==`, `!=`, `in`, `notin`, `key`, `!key`). */
export function parseLabelSelector(selector: string | null): LabelSelector {
  if (selector === null || selector.trim() === '') return [];
  return splitTerms(selector).map((term) => {
    const requirement = parseTerm(term);
    checkKey(requirement.key);
    requirement.values.forEach(checkValue);
    return requirement;
  });
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  return selector.every(({ key, operator, values }) => {
    const value = labels?.[key];
    switch (operator) {
      case 'exists':
        return value !== undefined;
      case 'notexists':
        return value === undefined;
      case 'equals':
      case 'in':
        return value !== undefined && values.includes(value);
      case 'notequals':
      case 'notin':
        return value === undefined || !values.includes(value);
    }
  });
}

/** Parses `fieldSelector` (`a=b`, `a==b`, `a!=b`), accepting only the fields the real API indexes. */
export function parseFieldSelector(selector: string | null, type: ResourceType): FieldSelector {
  if (selector === null || selector.trim() === '') return [];
  return selector.split(',').map((term) => {
    const match = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, path = '', op, value = ''] = match;
    const supported = ['metadata.name', 'metadata.namespace', ...type.fieldLabels];
    if (!supported.includes(path)) {
      throw badRequest(`field label not supported: ${path}`);
    }
    return { path, negate: op === '!=', value };
  });
}

function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const segment of path.split('.')) {
    current = isRecord(current) ? current[segment] : undefined;
  }
  if (path === 'source' && isRecord(current)) return String(current['component'] ?? '');
  return current === undefined || current === null ? '' : String(current);
}

export function matchesFields(selector: FieldSelector, object: KubeObject): boolean {
  return selector.every(({ path, negate, value }) => (fieldValue(object, path) === value) !== negate);
}

/** Renders `matchLabels` as the `a=b,c=d` string Scale.status.selector and kubectl expect. */
export function formatMatchLabels(matchLabels: Record<string, string>): string {
  return Object.entries(matchLabels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
