/**
 * Retries an assertion until it passes or the time is up, then throws its last failure: for effects
 * that travel through Kafka and arrive "soon", without fixed sleeps.
 */
export async function eventually<T>(assertion: () => Promise<T> | T, { timeoutMs = 20_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
