/**
 * Pure reading of DAML package versions: daml.yaml files found by package `name` (not by folder, which moves),
 * the generator's manifest, and the three versions proposed for generate-upgrade.sh with where each came from.
 */
import type { DamlPackageRef } from './layout.js';

/** Three dotted whole numbers, as names.ts requires for upgrade image tags. */
const DAML_VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export function isDamlVersion(text: string): boolean {
  return DAML_VERSION.test(text);
}

/** Undefined when valid, else what to type. */
export function damlVersionProblem(text: string): string | undefined {
  return isDamlVersion(text.trim())
    ? undefined
    : `"${text}" is not a DAML package version: use three dotted numbers like 0.1.93`;
}

export function compareDamlVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export function nextPatch(version: string): string {
  const [major, minor, patch] = version.split('.').map(Number);
  return `${major}.${minor}.${(patch ?? 0) + 1}`;
}

/** A top-level scalar of a YAML mapping: unquoted, without a trailing comment. */
function scalar(raw: string): string {
  const text = raw.trim();
  const quoted = /^(["'])(.*)\1(\s+#.*)?$/.exec(text);
  if (quoted) return quoted[2] ?? '';
  return text.replace(/\s+#.*$/, '').trim();
}

/** `name` and `version` of a daml.yaml; only top-level keys count (`sdk-version` and nested keys do not). */
export function parseDamlYaml(text: string): { name?: string; version?: string } {
  const found: { name?: string; version?: string } = {};
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const match = /^(name|version)\s*:(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1] as 'name' | 'version';
    found[key] ??= scalar(match[2] ?? '');
  }
  return found;
}

export interface DamlYamlFile {
  readonly path: string;
  readonly text: string;
}

export interface FoundPackage {
  readonly path: string;
  readonly version: string;
}

/**
 * The daml.yaml of a package: the one whose `name` matches (its usual path preferred, then the shortest path), else
 * the file at the usual path whatever its name says. Files without a valid version are skipped.
 */
export function findPackage(files: readonly DamlYamlFile[], pkg: DamlPackageRef): FoundPackage | undefined {
  const parsed = files
    .map((file) => ({ path: file.path, ...parseDamlYaml(file.text) }))
    .filter(
      (file): file is { path: string; name?: string; version: string } =>
        file.version !== undefined && isDamlVersion(file.version),
    );
  const named = parsed
    .filter((file) => file.name === pkg.name)
    .sort(
      (a, b) =>
        Number(b.path === pkg.usualPath) - Number(a.path === pkg.usualPath) || a.path.length - b.path.length,
    );
  const chosen = named[0] ?? parsed.find((file) => file.path === pkg.usualPath);
  return chosen ? { path: chosen.path, version: chosen.version } : undefined;
}

export interface GeneratedManifest {
  readonly from: string;
  readonly to: string;
  readonly dataLoaderFrom: string;
}

/** The generator's `manifest.json`, or undefined when missing or not one. */
export function parseManifest(text: string | undefined): GeneratedManifest | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const { from, to, dataLoaderFrom } = value;
    if (typeof from !== 'string' || typeof to !== 'string' || typeof dataLoaderFrom !== 'string')
      return undefined;
    if (![from, to, dataLoaderFrom].every(isDamlVersion)) return undefined;
    return { from, to, dataLoaderFrom };
  } catch {
    return undefined;
  }
}

export interface ProposedVersion {
  readonly value: string;
  readonly source: string;
}

export interface UpgradeVersionProposal {
  readonly from: ProposedVersion;
  readonly to: ProposedVersion;
  readonly dataLoaderFrom: ProposedVersion;
}

export interface ProposalInput {
  /** The model and the data loader as deployed (main), and the model of the release branch. */
  readonly deployedModel?: FoundPackage;
  readonly deployedLoader?: FoundPackage;
  readonly releaseModel?: FoundPackage;
  readonly deployedRef: string;
  readonly releaseRef: string;
}

const notFound = (what: string, ref: string): ProposedVersion => ({
  value: '',
  source: `no daml.yaml of ${what} found on ${ref}: type it`,
});

/** The versions for `generate-upgrade.sh <old> <new> <old-data-loader>`, each with where it came from. */
export function proposeUpgradeVersions(input: ProposalInput): UpgradeVersionProposal {
  const { deployedModel, deployedLoader, releaseModel, deployedRef, releaseRef } = input;
  const from = deployedModel
    ? {
        value: deployedModel.version,
        source: `${deployedModel.path} on ${deployedRef}: version (deployed model)`,
      }
    : notFound('lendos-model', deployedRef);
  const dataLoaderFrom = deployedLoader
    ? {
        value: deployedLoader.version,
        source: `${deployedLoader.path} on ${deployedRef}: version (deployed data loader)`,
      }
    : notFound('the data loader', deployedRef);
  let to: ProposedVersion = notFound('lendos-model', releaseRef);
  if (
    releaseModel &&
    (!deployedModel || compareDamlVersions(releaseModel.version, deployedModel.version) > 0)
  ) {
    to = {
      value: releaseModel.version,
      source: `${releaseModel.path} on ${releaseRef}: version (release model)`,
    };
  } else if (releaseModel && deployedModel) {
    to = {
      value: nextPatch(deployedModel.version),
      source: `${releaseModel.path} on ${releaseRef} still reads ${releaseModel.version}, the deployed version: proposed the next patch version`,
    };
  }
  return { from, to, dataLoaderFrom };
}

/** The proposal from an earlier generation on the upgrade branch, so a rerun continues with the same versions. */
export function proposalFromManifest(manifest: GeneratedManifest, where: string): UpgradeVersionProposal {
  const source = `${where} (generated earlier)`;
  return {
    from: { value: manifest.from, source: `${source}: from` },
    to: { value: manifest.to, source: `${source}: to` },
    dataLoaderFrom: { value: manifest.dataLoaderFrom, source: `${source}: dataLoaderFrom` },
  };
}
