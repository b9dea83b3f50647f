import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp from 'pino-http';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { RequestWithPrincipal } from '@niryat/auth';
import { inConsumerSpan } from '@niryat/messaging';
import { httpLoggerOptions } from './logging';

new NodeTracerProvider().register();

const TOKEN = 'niryat_ops-1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** One request through the service's pino-http options; the handler authenticates it as `principalId`. */
async function logLines(principalId: string | undefined, headers: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pinoHttp(httpLoggerOptions('demo', 'test', 'info'), destination);
  const server = createServer((req: IncomingMessage & RequestWithPrincipal, res) => {
    logger(req, res);
    if (principalId) req.principal = { id: principalId, role: 'operator' };
    res.statusCode = principalId ? 200 : 401;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/sellers`, { headers });
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return lines;
}

describe('request logs', () => {
  it('name the principal id on the completion line, once with the correlation id, and never the token', async () => {
    const [line, ...rest] = await logLines('ops-1', { authorization: `Bearer ${TOKEN}`, 'x-api-key': TOKEN, 'x-correlation-id': 'corr-1' });
    expect(rest).toEqual([]);
    expect(JSON.parse(line)).toMatchObject({ service: 'demo', principalId: 'ops-1', correlationId: 'corr-1', res: { statusCode: 200 } });
    expect(line.match(/"correlationId"/g)).toHaveLength(1);
    expect(line).not.toContain(TOKEN);
  });

  it('have no principal id when nobody was authenticated', async () => {
    const [line] = await logLines(undefined, { 'x-api-key': TOKEN });
    expect(JSON.parse(line)).not.toHaveProperty('principalId');
    expect(line).not.toContain(TOKEN);
  });
});

describe('personal data in log lines', () => {
  const PAN = 'AAKCS7744R';
  const GSTIN = '09AAKCS7744R1Z8';
  const ACCOUNT = '0123000100045821';
  const EMAIL = 'exports@sambhalhorn.example.in';

  function lines(write: (logger: import('pino').Logger) => void): string {
    const out: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = pinoHttp(httpLoggerOptions('demo', 'test', 'info'), destination).logger;
    write(logger);
    write(logger.child({ context: 'child' }));
    return out.join('');
  }

  it('never carries a PAN, GSTIN, account number or e-mail, in the message, nested fields or an error', () => {
    const failure = Object.assign(new Error(`duplicate key value: ${GSTIN}`), { code: '23505', parameters: [PAN, GSTIN, ACCOUNT, EMAIL], detail: `Key (gstin)=(${GSTIN})` });
    const output = lines((logger) => {
      logger.error(`query failed: PARAMETERS: ["${PAN}","${GSTIN}","${ACCOUNT}","${EMAIL}"]`);
      logger.info({ seller: { profile: { pan: PAN, contact: { email: EMAIL } }, note: `account ${ACCOUNT}` } }, 'nested');
      logger.error({ err: failure }, 'failed');
      logger.warn({ list: [{ gstin: GSTIN }] }, `mail ${EMAIL}`);
    });
    for (const value of [PAN, GSTIN, ACCOUNT, EMAIL]) expect(output).not.toContain(value);
    // The lines are still there, with what an operator needs.
    expect(output).toContain('query failed');
    expect(output).toContain('"code":"23505"');
    expect(output.match(/"context":"child"/g)).toHaveLength(4);
  });
});

describe('log lines of a consumer', () => {
  it('name the trace, and the correlation and causation of the event applied, on every line', async () => {
    const out: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const logger = pinoHttp(httpLoggerOptions('demo', 'test', 'info'), destination).logger;
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const attributes = { id: 'event-7', type: 'niryat.onboarding.seller.approved.v1', source: '/niryat/onboarding', time: '2026-11-21T10:00:00.000Z', correlationId: 'req-1', traceparent: `00-${traceId}-00f067aa0ba902b7-01` };
    await inConsumerSpan('demo.group', [{ topic: 'niryat.onboarding.seller.v1', attributes }], async () => logger.info('applying'));
    logger.info('outside');
    const [inside, outside] = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside).toMatchObject({ msg: 'applying', traceId, spanId: expect.stringMatching(/^[0-9a-f]{16}$/), correlationId: 'req-1', causationId: 'event-7' });
    expect(outside).not.toHaveProperty('traceId');
    expect(outside).not.toHaveProperty('causationId');
  });
});
