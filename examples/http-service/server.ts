// A Node HTTP service that reads its database password from credstash at start-up and
// refreshes it on a timer, so that a rotated password reaches it without a restart.
//
// Configuration comes from the environment, as in production: the standard AWS variables
// (AWS_REGION, credentials, AWS_ENDPOINT_URL for a local stand-in), CREDSTASH_DEFAULT_TABLE,
// and the variables below. `npm run example:http-service` runs it against a local moto.
import { createServer } from 'node:http';

import { Credstash, CredstashError } from 'credstash-ts';

const SECRET_NAME = process.env['DB_PASSWORD_SECRET'] ?? 'db/password';
const REFRESH_INTERVAL_MS = Number(process.env['REFRESH_INTERVAL_MS'] ?? 5 * 60_000);
const HOST = process.env['HOST'] ?? '127.0.0.1';
const PORT = Number(process.env['PORT'] ?? 8080);

interface DatabaseCredentials {
  /** Padded credstash version, logged and reported instead of the password. */
  readonly version: string;
  readonly password: string;
}

/** Stands in for a database driver's connection pool, which needs the password to connect. */
class DatabasePool {
  #credentials: DatabaseCredentials;

  constructor(credentials: DatabaseCredentials) {
    this.#credentials = credentials;
  }

  get passwordVersion(): string {
    return this.#credentials.version;
  }

  /** Uses the new password for new connections. A real pool would also drain the old ones. */
  reconnect(credentials: DatabaseCredentials): void {
    this.#credentials = credentials;
  }
}

/** Writes one JSON log line. The password is never passed here. */
function log(level: 'info' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
}

function describeError(error: unknown): Record<string, unknown> {
  return error instanceof CredstashError ? { code: error.code, error: error.message } : { error: String(error) };
}

const credstash = new Credstash();

// The version is read first and the secret by that version, so the pair always matches even
// when a rotation happens between the two reads.
async function loadCredentials(): Promise<DatabaseCredentials> {
  const version = await credstash.getHighestVersion(SECRET_NAME);
  if (version === undefined) {
    throw new Error(`secret "${SECRET_NAME}" not found: store it with credstash put ${SECRET_NAME}`);
  }
  return { version, password: await credstash.getSecret(SECRET_NAME, { version }) };
}

let pool: DatabasePool;
try {
  pool = new DatabasePool(await loadCredentials());
} catch (error) {
  // Without its database password the service cannot work, so it fails fast at start-up.
  log('error', 'cannot read the database password at start-up', { secret: SECRET_NAME, ...describeError(error) });
  process.exit(1);
}
log('info', 'database password loaded', { secret: SECRET_NAME, version: pool.passwordVersion });

// A failed refresh keeps the current password: the database still accepts it until the
// rotation completes, and the next tick tries again.
async function refresh(): Promise<void> {
  try {
    const credentials = await loadCredentials();
    if (credentials.version !== pool.passwordVersion) {
      pool.reconnect(credentials);
      log('info', 'database password rotated', { secret: SECRET_NAME, version: credentials.version });
    }
  } catch (error) {
    log('error', 'refreshing the database password failed, so the current one stays in use', { secret: SECRET_NAME, version: pool.passwordVersion, ...describeError(error) });
  }
}
const timer = setInterval(() => void refresh(), REFRESH_INTERVAL_MS);

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/healthz') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: 'ok', passwordVersion: pool.passwordVersion }));
    return;
  }
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: 'not found' }));
});

server.listen(PORT, HOST, () => {
  const address = server.address();
  log('info', 'listening', { host: HOST, port: typeof address === 'object' && address !== null ? address.port : PORT, refreshIntervalMs: REFRESH_INTERVAL_MS });
});

function shutdown(signal: string): void {
  log('info', 'stopping', { signal });
  clearInterval(timer);
  server.close(() => log('info', 'stopped'));
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
