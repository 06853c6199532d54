import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Config } from '../../config/index.js';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

const text = (value: string) => new TextEncoder().encode(value);
const readText = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

/**
 * Encrypts every payload with AES-256-GCM under the active key and records the key id in the
 * payload's metadata, so payloads written under an older key still decode after a rotation.
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
      const plain = PayloadMessage.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: text(ENCODING), [KEY_ID]: text(this.activeKey) }, data };
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
