import type { AwsError } from './errors.js';

/** Namespaces of the awsQuery services' XML answers. */
export const RDS_NAMESPACE = 'http://rds.amazonaws.com/doc/2014-10-31/';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export type XmlScalar = string | number | boolean | Date | undefined | null;

/** `<name>value</name>`, or nothing when the value is absent; dates in ISO 8601 as AWS writes them. */
export function leaf(name: string, value: XmlScalar): string {
  if (value === undefined || value === null) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** `<name>…children…</name>` from already rendered children. */
export function node(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** A list as awsQuery writes it: the list element wrapping one element per member, named after the member. */
export function list<T>(
  name: string,
  member: string,
  items: readonly T[],
  render: (item: T) => string,
): string {
  return node(name, ...items.map((item) => node(member, render(item))));
}

export function leafList(name: string, member: string, values: readonly string[]): string {
  return node(name, ...values.map((value) => leaf(member, value)));
}

export function queryResponse(action: string, namespace: string, result: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${namespace}">` +
    node(`${action}Result`, result) +
    node('ResponseMetadata', leaf('RequestId', requestId)) +
    `</${action}Response>`
  );
}

export function queryErrorResponse(namespace: string, error: AwsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${namespace}">` +
    node('Error', leaf('Type', error.faultType), leaf('Code', error.code), leaf('Message', error.message)) +
    leaf('RequestId', requestId) +
    '</ErrorResponse>'
  );
}
