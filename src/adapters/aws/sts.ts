/** The AwsIdentity port on @aws-sdk/client-sts: who the environment's credentials are (account, ARN). */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { messageOf } from '../../core/errors.js';
import type { AwsIdentity } from '../../ports.js';
import { credentialFailure, credentialsOf, type AwsClientOptions } from './credentials.js';

export type StsOptions = AwsClientOptions;

export class SdkAwsIdentity implements AwsIdentity {
  constructor(private readonly options: StsOptions) {}

  async callerIdentity(): Promise<{ account: string; arn: string; userId: string }> {
    const { region, endpoint, profile } = this.options;
    const client = new STSClient({ region, endpoint, credentials: credentialsOf(this.options), maxAttempts: 3 });
    try {
      const answer = await client.send(new GetCallerIdentityCommand({}));
      return { account: answer.Account ?? '', arn: answer.Arn ?? '', userId: answer.UserId ?? '' };
    } catch (error) {
      const credentials = credentialFailure(error, this.options);
      if (credentials) throw credentials;
      const name = error instanceof Error ? error.name : '';
      const whose = profile ? `profile "${profile}"` : 'the default credentials';
      throw new Error(`STS (${region}) could not tell who ${whose} is: ${name ? `${name}: ` : ''}${messageOf(error)}`);
    } finally {
      client.destroy();
    }
  }
}
