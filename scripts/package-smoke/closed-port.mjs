import { createServer } from 'node:net';

/** Returns a port on 127.0.0.1 that was free a moment ago, so connecting to it fails at once. */
export function closedPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
