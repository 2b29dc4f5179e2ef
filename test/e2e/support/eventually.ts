/**
 * Polls `read` (the server through its API, or a page) until it returns something — anything but
 * null, undefined or false — and returns that; fails after `timeout` ms naming `what`.
 */
export async function eventually<T>(read: () => Promise<T | null | undefined | false>, what: string, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
