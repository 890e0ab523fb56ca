/** Asks the kernel for a TCP port nobody listens on right now, for processes that must be told their port up front. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `count` distinct free ports. The kernel may hand a port it just released out again, so a repeat is asked for again. */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort(host));
  return [...ports];
}

/**
 * Starts something on `count` freshly drawn ports, drawing new ones and starting again (up to `attempts` in all)
 * when a start fails in a way `retryIf` accepts: a port drawn free can be taken (by another listener, or as an
 * outgoing connection's ephemeral port) before the process told to use it binds it. `start` must clean up after
 * its own failure.
 */
export async function startOnFreePorts<T>(
  count: number,
  start: (ports: number[], attempt: number) => Promise<T>,
  { attempts = 3, retryIf = () => true }: { attempts?: number; retryIf?: (error: unknown) => boolean } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePorts(count), attempt);
    } catch (error) {
      if (attempt >= attempts || !retryIf(error)) throw error;
    }
  }
}
