import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Config } from '../../config/index.js';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
/** The pathway a payload belongs to, in clear and bound to the ciphertext (AES-GCM additional data). */
const PATHWAY_ID = 'pathway-id';
/** Our payloads put the pathway id first, so it can be read without parsing the whole payload. */
const PATHWAY_PREFIX = /^\{"pathwayId":"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/;
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

const text = (value: string) => new TextEncoder().encode(value);
const readText = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

/** The pathway a plain JSON payload is about, when it says so first thing. */
function pathwayInPlain(payload: Payload): string | undefined {
  if (readText(payload.metadata?.encoding) !== 'json/plain' || !payload.data) return undefined;
  return PATHWAY_PREFIX.exec(new TextDecoder().decode(payload.data.subarray(0, 64)))?.[1];
}

const additionalData = (pathwayId: string) => Buffer.from(`pathway:${pathwayId}`);

/** The pathway an encrypted payload belongs to, as its metadata says (verified when it is decrypted). */
export function pathwayOfPayload(payload: Payload): string | undefined {
  return readText(payload.metadata?.[PATHWAY_ID]);
}

/**
 * Encrypts every payload with AES-256-GCM under the active key and records the key id in the
 * payload's metadata, so payloads written under an older key still decode after a rotation.
 * A payload about one pathway also carries that pathway's id, bound to the ciphertext, so the
 * codec endpoint can decrypt it only for people who may read that pathway.
 * Payloads that are not encrypted (written before encryption was enabled) pass through.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly activeKey: string,
  ) {
    if (!keys.has(activeKey)) throw new Error(`The active payload key ${activeKey} is not among the keys`);
    for (const [id, key] of keys) if (key.length !== 32) throw new Error(`Payload key ${id} must be 32 bytes, not ${key.length}`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.activeKey)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(CIPHER, key, iv);
      const pathwayId = pathwayInPlain(payload);
      if (pathwayId) cipher.setAAD(additionalData(pathwayId));
      const plain = PayloadMessage.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      const metadata: Record<string, Uint8Array> = { encoding: text(ENCODING), [KEY_ID]: text(this.activeKey) };
      if (pathwayId) metadata[PATHWAY_ID] = text(pathwayId);
      return { metadata, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (readText(payload.metadata?.encoding) !== ENCODING) return payload;
      const keyId = readText(payload.metadata?.[KEY_ID]) ?? '';
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`No payload key with id "${keyId}": keep retired keys in PAYLOAD_KEYS until their histories are gone`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv(CIPHER, key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const pathwayId = pathwayOfPayload(payload);
      if (pathwayId) decipher.setAAD(additionalData(pathwayId));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return PayloadMessage.decode(plain) as Payload;
    });
  }
}

/** The development key: generated once, kept in the data folder, never committed. */
async function developmentKeys(dataDir: string): Promise<{ keys: Record<string, string>; activeKey: string }> {
  const file = path.join(dataDir, 'payload-keys.json');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return JSON.parse(existing);
  const generated = { keys: { 'dev-1': randomBytes(32).toString('base64') }, activeKey: 'dev-1' };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(generated), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return JSON.parse(await readFile(file, 'utf8'));
}

/** The codec every client, worker and tool of ours uses. */
export async function createPayloadCodec(config: Config): Promise<EncryptionCodec> {
  const { keys, activeKey } =
    config.payload.keys && config.payload.activeKey
      ? { keys: config.payload.keys, activeKey: config.payload.activeKey }
      : await developmentKeys(config.dataDir);
  return new EncryptionCodec(new Map(Object.entries(keys).map(([id, key]) => [id, Buffer.from(key, 'base64')])), activeKey);
}
