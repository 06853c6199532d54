import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type { Actor } from '../domain/model.js';

/** The rehearsal's identity provider: what the service checks tokens against. */
export const IDP_ISSUER = 'pathways-rehearsal-idp';
export const IDP_AUDIENCE = 'pathways';
const ALGORITHM = 'ES256';

/** Files of the identity provider, kept in the cluster's data folder. */
function files(dir: string) {
  return {
    caKey: path.join(dir, 'ca.key'),
    ca: path.join(dir, 'ca.pem'),
    serverKey: path.join(dir, 'server.key'),
    serverCsr: path.join(dir, 'server.csr'),
    server: path.join(dir, 'server.pem'),
    extensions: path.join(dir, 'server.ext'),
    signingKey: path.join(dir, 'signing-key.jwk.json'),
  };
}

const exists = (file: string) => stat(file).then(() => true, () => false);

function openssl(args: string[]) {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

/**
 * A certificate authority of its own and a certificate for 127.0.0.1 signed by it: the service
 * trusts the authority through NODE_EXTRA_CA_CERTS, as it would a company's internal one.
 */
async function ensureCertificates(dir: string) {
  const f = files(dir);
  if ((await exists(f.ca)) && (await exists(f.server))) return;
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', f.caKey, '-out', f.ca, '-days', '365', '-subj', '/CN=Pathways rehearsal CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', ...ec, '-keyout', f.serverKey, '-out', f.serverCsr, '-subj', '/CN=127.0.0.1']);
  await writeFile(f.extensions, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', f.serverCsr, '-CA', f.ca, '-CAkey', f.caKey, '-CAcreateserial', '-out', f.server, '-days', '365', '-extfile', f.extensions]);
  await rm(f.serverCsr, { force: true });
}

async function signingKey(dir: string): Promise<JWK> {
  const file = files(dir).signingKey;
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return JSON.parse(existing) as JWK;
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: ALGORITHM, use: 'sig' };
  await writeFile(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

/**
 * A token for `actor`, signed with the identity provider's private key (kept in `dir`), with the
 * claims the service requires. Tests and `npm run cluster -- token` use it.
 */
export async function signToken(dir: string, actor: Actor, expiresIn = '1h'): Promise<string> {
  const jwk = await signingKey(dir);
  const key = await importJWK(jwk, ALGORITHM);
  return new SignJWT({ role: actor.role, org: actor.org })
    .setProtectedHeader({ alg: ALGORITHM, kid: jwk.kid! })
    .setSubject(actor.id)
    .setIssuer(IDP_ISSUER)
    .setAudience(IDP_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}

export interface IdentityProvider {
  jwksUrl: string;
  /** The authority that signed its certificate: NODE_EXTRA_CA_CERTS for the service. */
  caFile: string;
  stop(): Promise<void>;
}

/** Serves the public key set over HTTPS on 127.0.0.1, creating keys and certificates on first use. */
export async function startIdentityProvider(options: { dir: string; port: number }): Promise<IdentityProvider> {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  await ensureCertificates(options.dir);
  const f = files(options.dir);
  const { d: _private, ...publicKey } = await signingKey(options.dir);
  const jwks = JSON.stringify({ keys: [publicKey] });
  const server = https.createServer({ key: await readFile(f.serverKey), cert: await readFile(f.server) }, (request, response) => {
    if (request.method === 'GET' && request.url === '/.well-known/jwks.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(jwks);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `https://127.0.0.1:${port}/.well-known/jwks.json`,
    caFile: f.ca,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
