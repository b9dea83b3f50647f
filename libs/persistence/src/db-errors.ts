/**
 * Errors worth retrying: the database is unreachable, restarting, overloaded, or a transaction lost
 * a race. Anything else (bad data, a violated constraint) fails the same way on every retry.
 */
const TRANSIENT_SQLSTATE_PREFIXES = ['08', '53', '57P', '40001', '40P01', '55P03'];
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

export function isTransientDbError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = String((error as { code?: unknown }).code ?? '');
  if (TRANSIENT_NODE_CODES.has(code)) return true;
  if (TRANSIENT_SQLSTATE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
  const message = String((error as { message?: unknown }).message ?? '');
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}
