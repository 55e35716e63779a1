import type { AwsIdentity } from './accounts.js';
import { queryAction, type QueryParams } from './query-params.js';
import { leaf } from './xml.js';

export const STS_VERSION = '2011-06-15';

/** Answers STS GetCallerIdentity (awsQuery) for the identity the request was signed as. */
export function handleSts(identity: AwsIdentity, params: QueryParams): { action: string; result: string } {
  const action = queryAction(params, STS_VERSION, ['GetCallerIdentity']);
  return {
    action,
    result: leaf('Arn', identity.arn) + leaf('UserId', identity.userId) + leaf('Account', identity.account),
  };
}
