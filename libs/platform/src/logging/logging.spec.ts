import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp from 'pino-http';
import type { RequestWithPrincipal } from '@niryat/auth';
import { httpLoggerOptions } from './logging';

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
