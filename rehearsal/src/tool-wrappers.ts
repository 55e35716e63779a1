/**
 * `DIR/bin`, first on PATH in a shell that sourced world.env: an `aws` that sends the runbook's commands to the
 * world whichever AWS CLI is installed. AWS CLI v1 and v2 before 2.13 (Debian 12 ships 2.9) ignore
 * `AWS_ENDPOINT_URL_*`, so without it `aws ecr describe-images …` would reach real AWS. The wrapper adds the world's
 * endpoint to `ecr`, `rds` and `sts` commands and refuses every other service, so a rehearsal shell cannot reach
 * real AWS by mistake.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The services the world serves. */
export const WORLD_AWS_SERVICES = ['ecr', 'rds', 'sts'] as const;

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** The AWS CLI's global options that take a value (so the service is the first word that is not one of them). */
const VALUED_OPTIONS = ['--profile', '--region', '--output', '--query', '--endpoint-url', '--color', '--ca-bundle', '--cli-read-timeout', '--cli-connect-timeout', '--cli-binary-format'];

export function awsWrapper(binDir: string, endpoint: string): string {
  return `#!/bin/sh
# Written by the LendOS rehearsal world: the runbook's aws commands reach the world's ECR, RDS and STS whichever aws
# CLI comes next on PATH (v1, or v2 before 2.13, ignore AWS_ENDPOINT_URL_*); any other service is refused, so this
# shell never reaches real AWS by mistake.
self=${shellQuote(binDir)}
endpoint=${shellQuote(endpoint)}
service=''
skip=''
for arg in "$@"; do
  if [ -n "$skip" ]; then skip=''; continue; fi
  case "$arg" in
    ${VALUED_OPTIONS.join('|')}) skip=1 ;;
    -*) ;;
    *) service="$arg"; break ;;
  esac
done
rest=$(printf '%s' "$PATH" | tr ':' '\\n' | grep -vxF "$self" | paste -sd: -)
real=$(PATH="$rest" command -v aws) || { echo "aws: no AWS CLI on PATH besides the rehearsal world's wrapper; install awscli" >&2; exit 127; }
case "$service" in
  ${WORLD_AWS_SERVICES.join('|')}) exec "$real" --endpoint-url "$endpoint" "$@" ;;
  ''|help|configure) exec "$real" "$@" ;;
  *)
    echo "LendOS rehearsal: \\"aws $service\\" is refused in this shell: the rehearsal world serves only ${WORLD_AWS_SERVICES.join(', ')}, and anything else would reach real AWS. Open a shell without world.env for real AWS." >&2
    exit 252 ;;
esac
`;
}

/** Writes `DIR/bin/aws`; answers the bin folder. */
export async function writeToolWrappers(dir: string, awsEndpoint: string): Promise<string> {
  const bin = path.join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const aws = path.join(bin, 'aws');
  await writeFile(aws, awsWrapper(bin, awsEndpoint));
  await chmod(aws, 0o755);
  return bin;
}
