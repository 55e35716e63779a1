import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { signatureFor, verifySigV4, type SigV4Request } from '../../../rehearsal/src/aws/sigv4.js';
import { signRequest } from '../../../rehearsal/src/aws/sigv4-sign.js';

// The AWS Signature Version 4 test suite's credentials and time.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SUITE_TIME = new Date('2015-08-30T12:36:00Z');
const SCOPE = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

function suiteRequest(method: string, url: string, signature: string, body = ''): SigV4Request {
  return {
    method,
    url,
    body: Buffer.from(body),
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization: `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    },
  };
}

const secretFor = (id: string): string | undefined => (id === 'AKIDEXAMPLE' ? SECRET : undefined);

describe('rehearsal AWS: SigV4 verification (pure)', () => {
  it('accepts the published test-suite vectors get-vanilla, get-vanilla-query-order-key-case and post-vanilla', () => {
    const vectors: Array<[string, string, string]> = [
      ['GET', '/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
      [
        'GET',
        '/?Param2=value2&Param1=value1',
        'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
      ],
      ['POST', '/', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
    ];
    for (const [method, url, signature] of vectors) {
      const verdict = verifySigV4(suiteRequest(method, url, signature), secretFor, SUITE_TIME);
      assert.deepEqual(verdict, {
        ok: true,
        scope: { accessKeyId: 'AKIDEXAMPLE', date: '20150830', region: 'us-east-1', service: 'service' },
      });
    }
  });

  it('computes the vector signature itself', () => {
    const request = suiteRequest('GET', '/', 'unused');
    const scope = { accessKeyId: 'AKIDEXAMPLE', date: '20150830', region: 'us-east-1', service: 'service' };
    assert.equal(
      signatureFor(request, SECRET, scope, '20150830T123600Z', ['host', 'x-amz-date']),
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('rejects a tampered body, path or header as a signature mismatch', () => {
    const signature = '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b';
    const tampered = [
      suiteRequest('POST', '/', signature, 'Action=DeleteDBClusterSnapshot'),
      suiteRequest('POST', '/other', signature),
      {
        ...suiteRequest('POST', '/', signature),
        headers: { ...suiteRequest('POST', '/', signature).headers, host: 'evil.example' },
      },
    ];
    for (const request of tampered) {
      const verdict = verifySigV4(request, secretFor, SUITE_TIME);
      assert.equal(verdict.ok, false);
      assert.equal(!verdict.ok && verdict.failure, 'mismatch');
    }
  });

  it('tells a missing header, an unknown key and an incomplete header apart', () => {
    const unsigned = { ...suiteRequest('GET', '/', 'x'), headers: { host: 'example.amazonaws.com' } };
    const missing = verifySigV4(unsigned, secretFor, SUITE_TIME);
    assert.equal(!missing.ok && missing.failure, 'missing');

    const unknown = verifySigV4(suiteRequest('GET', '/', 'x'), () => undefined, SUITE_TIME);
    assert.equal(!unknown.ok && unknown.failure, 'unknown-key');

    const incomplete = suiteRequest('GET', '/', 'x');
    incomplete.headers.authorization = `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date`;
    const verdict = verifySigV4(incomplete, secretFor, SUITE_TIME);
    assert.equal(!verdict.ok && verdict.failure, 'incomplete');
    assert.match(!verdict.ok ? verdict.detail : '', /requires 'Signature' parameter/);
  });

  it('refuses a signature older than fifteen minutes with the real "Signature expired" message', () => {
    const later = new Date(SUITE_TIME.getTime() + 20 * 60 * 1000);
    const verdict = verifySigV4(
      suiteRequest('GET', '/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'),
      secretFor,
      later,
    );
    assert.equal(!verdict.ok && verdict.failure, 'expired-request');
    assert.equal(
      !verdict.ok && verdict.detail,
      'Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T125600Z - 15 min.)',
    );
  });
});

describe('rehearsal AWS: signRequest (for scripts that call the world without an SDK)', () => {
  it('signs get-vanilla exactly as the test suite does', () => {
    const headers = signRequest(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
      'us-east-1',
      'service',
      SUITE_TIME,
    );
    assert.equal(
      headers.authorization,
      `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
    );
    assert.equal(headers['x-amz-date'], '20150830T123600Z');
  });

  it('produces requests the verifier accepts', () => {
    const url = new URL('http://127.0.0.1:4566/?Action=DescribeDBClusters');
    const body = 'Version=2014-10-31';
    const headers = signRequest(
      { method: 'POST', url, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
      'us-east-1',
      'rds',
    );
    const request = {
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: { ...headers, host: url.host },
      body: Buffer.from(body),
    };
    assert.equal(verifySigV4(request, secretFor, new Date()).ok, true);
  });
});
