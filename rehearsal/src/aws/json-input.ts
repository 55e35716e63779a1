import { AwsError } from './errors.js';

export type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A constraint failure the way ECR words it. */
export const invalidParameter = (path: string, constraint: string): AwsError =>
  new AwsError(
    'InvalidParameterException',
    `Invalid parameter at '${path}' failed to satisfy constraint: '${constraint}'`,
  );

const serialization = (detail: string): AwsError => new AwsError('SerializationException', detail);

/** The request body of an awsJson call: a JSON object, or SerializationException. */
export function parseJsonInput(body: Buffer): JsonObject {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw serialization('Unexpected token in request body; the body must be a JSON object.');
  }
  if (!isObject(parsed)) throw serialization('Start of structure or map found where not expected.');
  return parsed;
}

export function optionalString(input: JsonObject, name: string, path = name): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw serialization(`STRING_VALUE can not be converted to a String at '${path}'`);
  return value;
}

export function requiredString(input: JsonObject, name: string, path = name): string {
  const value = optionalString(input, name, path);
  if (value === undefined || value === '') throw invalidParameter(path, 'Member must not be null');
  return value;
}

export function optionalInteger(
  input: JsonObject,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw serialization(`NUMBER_VALUE can not be converted to an Integer at '${name}'`);
  }
  if (value < min) throw invalidParameter(name, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw invalidParameter(name, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalObject(input: JsonObject, name: string): JsonObject | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw serialization(`Expected a structure at '${name}'`);
  return value;
}

export function optionalObjectList(input: JsonObject, name: string): JsonObject[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every(isObject))
    throw serialization(`Expected a list of structures at '${name}'`);
  return value;
}

export function optionalStringList(input: JsonObject, name: string): string[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw serialization(`Expected a list of strings at '${name}'`);
  }
  return value;
}

/** One page of `items` for `maxResults`/`nextToken`; tokens are opaque and tied to the operation. */
export function paginate<T>(
  items: readonly T[],
  input: JsonObject,
  operation: string,
  defaultPageSize: number,
): { page: T[]; nextToken?: string } {
  const maxResults = optionalInteger(input, 'maxResults', 1, 1000) ?? defaultPageSize;
  const token = optionalString(input, 'nextToken');
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^(\w+):(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!decoded || decoded[1] !== operation) throw invalidParameter('nextToken', 'Invalid NextToken');
    offset = Number(decoded[2]);
  }
  const end = offset + maxResults;
  const nextToken = end < items.length ? Buffer.from(`${operation}:${end}`).toString('base64') : undefined;
  return { page: items.slice(offset, end), nextToken };
}
