/**
 * A port on 127.0.0.1 where nothing listens, so connecting to it is refused (ECONNREFUSED).
 *
 * The port was free a moment ago (the kernel handed it out, then we closed the listener). Another
 * process could take it in between; on a test machine that window is negligible, and a test that
 * hits it fails loudly rather than silently passing.
 */
import net, { type AddressInfo } from 'node:net';

/**
 * Listens on port 0, notes the port, closes, and returns it.
 *
 * @example
 * ```ts
 * const port = await refusedPort();
 * const client = new OpenAI({ apiKey: 'x', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
 * ```
 */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
