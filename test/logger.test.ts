import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'info', format: 'json' }, stream), lines };
}

describe('logger', () => {
  it('redacts personal fields wherever they sit in a log line', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        givenName: 'Zarinabonu',
        person: { familyName: 'Karimovaya', birthDate: '2014-03-09', sex: 'female' },
        body: { people: { 0: { person: { documentNumber: 'N1234567', address: '12 Abay St' } } } },
        req: { headers: { authorization: 'Bearer secret-token' } },
      },
      'opened',
    );
    const line = lines.join('');
    for (const value of ['Zarinabonu', 'Karimovaya', '2014-03-09', 'N1234567', '12 Abay St', 'secret-token']) {
      expect(line).not.toContain(value);
    }
    const entry = JSON.parse(line);
    expect(entry.person).toEqual({ familyName: '[redacted]', birthDate: '[redacted]', sex: 'female' });
    expect(entry.givenName).toBe('[redacted]');
  });

  it('writes JSON lines by default', () => {
    const { logger, lines } = capture();
    logger.info({ pathwayId: 'p-1' }, 'hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, pathwayId: 'p-1', msg: 'hello' });
  });
});
