import type { EntityManager } from 'typeorm';
/**
 * Errors worth retrying: the database is unreachable, restarting, overloaded, or a transaction lost
 * a race. Anything else (bad data, a violated constraint) fails the same way on every retry.
 */
// 57014 query_canceled: a statement timeout (or a cancel) under load is worth retrying, not a reason to dead-letter.
const TRANSIENT_SQLSTATE_PREFIXES = ['08', '53', '57P', '57014', '40001', '40P01', '55P03'];
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

const SAVEPOINT_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Runs `work` under a savepoint of the caller's transaction: if it throws, what it wrote is undone
 * and the transaction goes on (the error is rethrown for the caller to decide). Nothing but the
 * database is undone: `work` must keep its effects in the transaction.
 */
export async function inSavepoint<T>(manager: EntityManager, name: string, work: () => Promise<T>): Promise<T> {
  if (!SAVEPOINT_NAME.test(name)) throw new Error(`invalid savepoint name '${name}'`);
  await manager.query(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    await manager.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}
