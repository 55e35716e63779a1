/** A JSON value as the Kubernetes API carries it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generateName?: string;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any stored object: kind, apiVersion and metadata are always present; the rest is free-form JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  retryAfterSeconds?: number;
}

/** An API failure; the router turns it into a `kind: Status` body with the same code and reason. */
export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details: StatusDetails = {},
  ) {
    super(message);
  }
}

export function statusBody(code: number, reason: StatusReason, message: string, details: StatusDetails = {}) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  };
}

/** "Operation cannot be fulfilled" and friends, named after the group-qualified resource like the real API. */
export function qualifiedResource(plural: string, group: string): string {
  return group === '' ? plural : `${plural}.${group}`;
}

export function notFound(plural: string, group: string, name: string): KubeError {
  return new KubeError(404, 'NotFound', `${qualifiedResource(plural, group)} "${name}" not found`, {
    name,
    group: group || undefined,
    kind: plural,
  });
}

export function alreadyExists(plural: string, group: string, name: string): KubeError {
  return new KubeError(409, 'AlreadyExists', `${qualifiedResource(plural, group)} "${name}" already exists`, {
    name,
    group: group || undefined,
    kind: plural,
  });
}

export function conflict(plural: string, group: string, name: string): KubeError {
  const message =
    `Operation cannot be fulfilled on ${qualifiedResource(plural, group)} "${name}": ` +
    'the object has been modified; please apply your changes to the latest version and try again';
  return new KubeError(409, 'Conflict', message, { name, group: group || undefined, kind: plural });
}

export function badRequest(message: string): KubeError {
  return new KubeError(400, 'BadRequest', message);
}

export function invalid(kind: string, name: string, causes: string[]): KubeError {
  return new KubeError(422, 'Invalid', `${kind} "${name}" is invalid: ${causes.join(', ')}`, { name, kind });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
