import type { SigV4Failure } from './sigv4.js';

/** The two wire protocols: awsJson1_1 (ECR) and awsQuery with XML answers (RDS, STS). */
export type WireProtocol = 'json' | 'query';

/** An error the way AWS reports it: a code, a message and an HTTP status. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }

  /** awsQuery's `<Type>`: the caller's fault below 500, the service's above. */
  get faultType(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export type AuthFailure = SigV4Failure | 'expired-token';

const SIGNATURE_MISMATCH = { json: 'InvalidSignatureException', query: 'SignatureDoesNotMatch' };

/** Codes and statuses as AWS answers them: Coral JSON services say 400, query services 403. */
const AUTH_ERRORS: Record<AuthFailure, Record<WireProtocol, string>> = {
  missing: { json: 'MissingAuthenticationTokenException', query: 'MissingAuthenticationToken' },
  incomplete: { json: 'IncompleteSignatureException', query: 'IncompleteSignature' },
  'unknown-key': { json: 'UnrecognizedClientException', query: 'InvalidClientTokenId' },
  mismatch: SIGNATURE_MISMATCH,
  'expired-request': SIGNATURE_MISMATCH,
  'expired-token': { json: 'ExpiredTokenException', query: 'ExpiredToken' },
};

const AUTH_MESSAGES: Partial<Record<AuthFailure, Record<WireProtocol, string>>> = {
  missing: { json: 'Missing Authentication Token', query: 'Request is missing Authentication Token' },
  'expired-token': {
    json: 'The security token included in the request is expired',
    query: 'The security token included in the request is expired',
  },
};

export function authError(failure: AuthFailure, protocol: WireProtocol, detail: string): AwsError {
  const code = AUTH_ERRORS[failure][protocol];
  const message = AUTH_MESSAGES[failure]?.[protocol] ?? detail;
  const status = protocol === 'json' || failure === 'incomplete' ? 400 : 403;
  return new AwsError(code, message, status);
}

/** The error a scenario's `api-errors` fault injects, by status. */
export function injectedApiError(status: 500 | 429 | 503, protocol: WireProtocol): AwsError {
  if (status === 429) {
    return new AwsError(protocol === 'json' ? 'ThrottlingException' : 'Throttling', 'Rate exceeded', 429);
  }
  if (status === 503) {
    return protocol === 'json'
      ? new AwsError('ServiceUnavailableException', 'Service Unavailable', 503)
      : new AwsError(
          'ServiceUnavailable',
          'The request has failed due to a temporary failure of the server.',
          503,
        );
  }
  return protocol === 'json'
    ? new AwsError('ServerException', 'Internal server error', 500)
    : new AwsError(
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500,
      );
}

export function asAwsError(error: unknown, protocol: WireProtocol): AwsError {
  if (error instanceof AwsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return protocol === 'json'
    ? new AwsError('ServerException', message, 500)
    : new AwsError('InternalFailure', message, 500);
}
