import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  Credstash,
  DynamoDbTableProvider,
  KeyProviderError,
  KmsKeyProvider,
  MemoryTableProvider,
  TableProviderError,
  type AwsClientOptions,
} from '../../src/index.js';
import { recordFigure } from '../support/figures.js';
import { TEST_CREDENTIALS } from '../support/moto.js';

// Every server here is one these tests start on 127.0.0.1; nothing leaves the host.
const CLIENT = { maxAttempts: 2, connectionTimeout: 400, requestTimeout: 400 } satisfies AwsClientOptions;

/**
 * Computes the longest a call may take with these settings. Every attempt may wait out both
 * timeouts, and the SDK backs off at most 50 ms, doubling per retry, after a transient
 * error (AWS SDK 3.1178). One more second covers scheduling on a busy machine.
 */
function timeoutBound(options: typeof CLIENT): number {
  let backoff = 0;
  for (let retry = 0; retry < options.maxAttempts - 1; retry += 1) {
    backoff += 50 * 2 ** retry;
  }
  return options.maxAttempts * (options.connectionTimeout + options.requestTimeout) + backoff + 1_000;
}

function tableAt(endpoint: string): DynamoDbTableProvider {
  return new DynamoDbTableProvider({ ...CLIENT, endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, tableName: 'unreachable' });
}

function keysAt(endpoint: string): KmsKeyProvider {
  return new KmsKeyProvider({ ...CLIENT, endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, keyId: 'alias/unreachable' });
}

async function timed(run: () => Promise<unknown>): Promise<{ error: unknown; elapsed: number }> {
  const started = performance.now();
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { error, elapsed: performance.now() - started };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

describe('unreachable endpoints', () => {
  let closedPort: number;
  let silentServer: Server;
  let silentPort: number;
  const silentSockets = new Set<Socket>();
  let backlogServer: ChildProcess;
  let backlogPort: number;
  let backlogFiller: Socket;

  beforeAll(async () => {
    // A port reserved by listening on it and then closed again, so connections are refused.
    const reserved = createServer();
    closedPort = await listen(reserved);
    await new Promise((resolve) => reserved.close(resolve));

    // Accepts connections and reads requests but never responds.
    silentServer = createServer((socket) => {
      silentSockets.add(socket);
      socket.resume();
    });
    silentPort = await listen(silentServer);

    // A socket that listens with a backlog of 0 and never accepts: once one connection fills
    // the queue, Linux drops further SYNs, so connecting hangs until connectionTimeout.
    backlogServer = spawn(
      'python3',
      ['-c', "import socket,sys\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()"],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    backlogPort = await new Promise<number>((resolve) => backlogServer.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    backlogFiller = connect(backlogPort, '127.0.0.1');
    await new Promise((resolve) => backlogFiller.once('connect', resolve));
  });

  afterAll(async () => {
    for (const socket of silentSockets) {
      socket.destroy();
    }
    await new Promise((resolve) => silentServer?.close(resolve));
    backlogFiller?.destroy();
    backlogServer?.stdin?.end();
  });

  it('refused DynamoDB fails typed and fast', async () => {
    const endpoint = `http://127.0.0.1:${closedPort}`;
    const credstash = new Credstash({ keyProvider: keysAt(endpoint), tableProvider: tableAt(endpoint) });

    const { error, elapsed } = await timed(() => credstash.getSecret('any'));

    expect(error).toBeInstanceOf(TableProviderError);
    expect((error as TableProviderError).code).toBe('ERR_TABLE_PROVIDER');
    expect((error as Error).message).toContain(`DynamoDB at ${endpoint}`);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(elapsed).toBeLessThan(timeoutBound(CLIENT));
    recordFigure('timeouts', 'refused connection: failed within ms', Math.round(elapsed));
  });

  it('refused KMS fails typed before any write', async () => {
    const endpoint = `http://127.0.0.1:${closedPort}`;
    const table = new MemoryTableProvider();
    const credstash = new Credstash({ keyProvider: keysAt(endpoint), tableProvider: table });

    const { error, elapsed } = await timed(() => credstash.putSecret('any', 'value'));

    expect(error).toBeInstanceOf(KeyProviderError);
    expect((error as KeyProviderError).code).toBe('ERR_KEY_PROVIDER');
    expect((error as Error).message).toContain(`KMS at ${endpoint}`);
    expect(elapsed).toBeLessThan(timeoutBound(CLIENT));
    expect(await credstash.listSecrets()).toEqual([]);
  });

  it('silent server fails within requestTimeout', async () => {
    const endpoint = `http://127.0.0.1:${silentPort}`;
    const credstash = new Credstash({ keyProvider: keysAt(endpoint), tableProvider: tableAt(endpoint) });

    const { error, elapsed } = await timed(() => credstash.listSecrets());

    expect(error).toBeInstanceOf(TableProviderError);
    expect((error as Error).message).toContain(`DynamoDB at ${endpoint}`);
    expect((error as Error).message).toContain('TimeoutError');
    expect(elapsed).toBeLessThan(timeoutBound(CLIENT));
    recordFigure('timeouts', `silent server, ${CLIENT.maxAttempts} attempts of ${CLIENT.requestTimeout} ms: failed within ms`, Math.round(elapsed));
  });

  it('silent KMS fails within requestTimeout', async () => {
    const endpoint = `http://127.0.0.1:${silentPort}`;
    const credstash = new Credstash({ keyProvider: keysAt(endpoint), tableProvider: new MemoryTableProvider() });

    const { error, elapsed } = await timed(() => credstash.putSecret('any', 'value'));

    expect(error).toBeInstanceOf(KeyProviderError);
    expect((error as Error).message).toContain(`KMS at ${endpoint}`);
    expect((error as Error).message).toContain('TimeoutError');
    expect(elapsed).toBeLessThan(timeoutBound(CLIENT));
  });

  it('abort signal ends a silent read at once', async () => {
    const endpoint = `http://127.0.0.1:${silentPort}`;
    const controller = new AbortController();
    const patient = { maxAttempts: 3, connectionTimeout: 10_000, requestTimeout: 10_000, abortSignal: controller.signal };
    const table = new DynamoDbTableProvider({ ...patient, endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, tableName: 'silent' });
    const credstash = new Credstash({ keyProvider: keysAt(endpoint), tableProvider: table });
    setTimeout(() => controller.abort(), 200);

    const { error, elapsed } = await timed(() => credstash.getSecret('any'));

    expect(error).toBeInstanceOf(TableProviderError);
    expect((error as Error).message).toContain(`DynamoDB at ${endpoint}`);
    expect((error as Error).message).toContain('AbortError');
    // Neither the 10 s timeout nor a retry ran.
    expect(elapsed).toBeLessThan(200 + 1_000);
  });

  it('aborted signal fails KMS before connecting', async () => {
    const endpoint = `http://127.0.0.1:${silentPort}`;
    const before = silentSockets.size;
    const keys = new KmsKeyProvider({ ...CLIENT, abortSignal: AbortSignal.abort(), endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const credstash = new Credstash({ keyProvider: keys, tableProvider: new MemoryTableProvider() });

    const { error, elapsed } = await timed(() => credstash.putSecret('any', 'value'));

    expect(error).toBeInstanceOf(KeyProviderError);
    expect((error as Error).message).toContain('AbortError');
    expect(elapsed).toBeLessThan(1_000);
    expect(silentSockets.size).toBe(before);
  });

  it('unaccepted connection fails within connectionTimeout', async () => {
    const endpoint = `http://127.0.0.1:${backlogPort}`;
    const credstash = new Credstash({ keyProvider: keysAt(endpoint), tableProvider: tableAt(endpoint) });

    const { error, elapsed } = await timed(() => credstash.getSecret('any'));

    expect(error).toBeInstanceOf(TableProviderError);
    expect((error as Error).message).toContain(`DynamoDB at ${endpoint}`);
    expect((error as Error).message).toContain('TimeoutError');
    expect(elapsed).toBeLessThan(timeoutBound(CLIENT));
    recordFigure('timeouts', `unaccepted connection, ${CLIENT.maxAttempts} attempts of ${CLIENT.connectionTimeout} ms: failed within ms`, Math.round(elapsed));
  });
});
