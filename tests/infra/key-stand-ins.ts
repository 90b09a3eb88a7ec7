// Two small stand-ins for the ingest bundle test, on loopback: Secrets Manager's GetSecretValue (AWS JSON 1.1,
// `X-Amz-Target: secretsmanager.GetSecretValue`; an unknown SecretId is ResourceNotFoundException, as AWS answers)
// and a Cognito user pool's public keys (the JWKS its ID tokens are signed with), with a signer for such tokens.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

export async function startSecretsStandIn(secrets: Record<string, string>) {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as { SecretId?: string };
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      const value = body.SecretId === undefined ? undefined : secrets[body.SecretId];
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue' || value === undefined) {
        res.statusCode = 400;
        res.end(
          JSON.stringify({
            __type: 'ResourceNotFoundException',
            Message: 'Secrets Manager can’t find the specified secret.',
          }),
        );
        return;
      }
      res.end(
        JSON.stringify({ ARN: body.SecretId, Name: 'person-key', SecretString: value, VersionId: 'v1' }),
      );
    });
  });
  const endpoint = await listen(server);
  return { endpoint, stop: () => new Promise((r) => server.close(r)) };
}

export async function startUserPoolKeys(opts: { region: string; userPoolId: string; clientId: string }) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'pool-key-1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  const url = await listen(server);
  const issuer = `https://cognito-idp.${opts.region}.amazonaws.com/${opts.userPoolId}`;
  return {
    jwksUrl: `${url}/.well-known/jwks.json`,
    /** An ID token as the pool issues it: groups as roles, the officer's commune as a custom attribute. */
    idToken: (claims: { sub: string; groups: string[]; commune_code?: string }, nowSeconds: number) =>
      new SignJWT({
        token_use: 'id',
        'cognito:groups': claims.groups,
        ...(claims.commune_code ? { 'custom:commune_code': claims.commune_code } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'pool-key-1' })
        .setSubject(claims.sub)
        .setIssuer(issuer)
        .setAudience(opts.clientId)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + 3600)
        .sign(privateKey),
    stop: () => new Promise((r) => server.close(r)),
  };
}
