import { printerFor } from './table-printers.js';
import type { KubeObject } from './types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function rowObject(object: KubeObject, include: IncludeObject, tableVersion: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${tableVersion}`, metadata: object.metadata };
}

/** Server-side printing: the `meta.k8s.io` Table kubectl asks for with `Accept: …;as=Table`. */
export function toTable(
  resource: string,
  objects: KubeObject[],
  options: { resourceVersion: string; include: IncludeObject; version: 'v1' | 'v1beta1'; now: Date; withColumns?: boolean },
): Record<string, unknown> {
  const printer = printerFor(resource);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: { resourceVersion: options.resourceVersion },
    columnDefinitions: options.withColumns === false ? null : printer.columns,
    rows: objects.map((object) => ({
      cells: printer.cells(object, options.now),
      object: rowObject(object, options.include, options.version),
    })),
  };
}
