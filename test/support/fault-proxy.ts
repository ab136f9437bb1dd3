import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Faults the proxy can inject into one request.
 *
 * - `throttle`: HTTP 400 with `ThrottlingException`, as KMS and DynamoDB send when a rate is exceeded.
 * - `throughput`: HTTP 400 with `ProvisionedThroughputExceededException` (DynamoDB only; a KMS
 *   request drawn for it gets `throttle` instead, because KMS has no such error).
 * - `http500`: HTTP 500 with `InternalServerError`.
 * - `http503`: HTTP 503 with `ServiceUnavailable`.
 * - `resetBefore`: the connection is destroyed before the request reaches moto.
 * - `resetAfter`: the request reaches moto and is carried out, then the connection is
 *   destroyed before the response is sent, so the client cannot know that it succeeded.
 * - `delay`: the request is held for `delayMs`, then forwarded, and the response is sent if the
 *   client is still connected. With `delayMs` above the client's request timeout this is a
 *   timeout fault, and the late request still reaches moto.
 */
export type FaultKind = 'throttle' | 'throughput' | 'http500' | 'http503' | 'resetBefore' | 'resetAfter' | 'delay';

/** Every fault kind, in a fixed order. */
export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'throughput', 'http500', 'http503', 'resetBefore', 'resetAfter', 'delay'];

/** One request as the proxy saw it: the operation, the region it was signed for, and the resource it names. */
export interface RequestRecord {
  /** `Service.Operation`, for example `DynamoDB.PutItem`. */
  readonly operation: string;
  /** Region from the request's SigV4 credential scope. */
  readonly region: string | undefined;
  /** `TableName` of a DynamoDB request. */
  readonly tableName: string | undefined;
  /** `ResourceArn` of a DynamoDB tagging request. */
  readonly resourceArn: string | undefined;
  /** `AliasName`, else `KeyId`, of a KMS request. */
  readonly keyId: string | undefined;
}

/** Settings of a {@link FaultProxy}; every field can be changed while it runs. */
export interface FaultProxySettings {
  /** Probability, from 0 to 1, that a request gets a random fault. @default 0 */
  readonly faultRate: number;
  /** Kinds that random faults are drawn from, uniformly. @default every kind */
  readonly faultKinds: readonly FaultKind[];
  /** Operations that random faults may hit, as `Service.Operation`; undefined means all. */
  readonly faultOperations: readonly string[] | undefined;
  /** Hold time of a `delay` fault, in milliseconds. @default 300 */
  readonly delayMs: number;
  /** Latency added to every request before it is forwarded, in milliseconds. @default 0 */
  readonly fixedDelayMs: number;
  /** Seed of the random fault choice, so a run can be repeated. @default 1 */
  readonly seed: number;
  /**
   * Operations (`Service.Operation`) whose successful responses are kept and sent again for
   * requests with the same body, without asking moto. Only for reads of data that does not
   * change: it lets a benchmark measure latency and concurrency rather than moto's own
   * throughput. Counts and the fixed delay still apply. @default none
   */
  readonly replayOperations: readonly string[];
}

/** Requests seen and faults injected since the proxy started or the counts were reset. */
export interface FaultProxyCounts {
  /** Requests per `Service.Operation` (for example `DynamoDB.PutItem`), retries included. */
  readonly requests: Readonly<Record<string, number>>;
  /** Requests that the SDK marked as a retry (`amz-sdk-request: attempt=N` with N > 1). */
  readonly retries: number;
  /** Injected faults per kind, then per operation. */
  readonly faults: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Sum of every injected fault. */
  readonly totalFaults: number;
  /** TCP connections that clients opened, so that keep-alive reuse shows as fewer connections than requests. */
  readonly connections: number;
}

const DEFAULT_SETTINGS: FaultProxySettings = {
  faultRate: 0,
  faultKinds: FAULT_KINDS,
  faultOperations: undefined,
  delayMs: 300,
  fixedDelayMs: 0,
  seed: 1,
  replayOperations: [],
};

// X-Amz-Target prefixes of the two services, mapped to short names for the counts.
const SERVICE_NAMES: Readonly<Record<string, string>> = { TrentService: 'KMS', DynamoDB_20120810: 'DynamoDB' };

/**
 * HTTP proxy on 127.0.0.1 in front of a moto server that injects faults at a configurable
 * rate, adds a fixed latency to every request, and counts requests per KMS or DynamoDB
 * operation (read from the `X-Amz-Target` header). Faults can also be scripted for the
 * next requests of one operation, for deterministic tests.
 *
 * @example
 * ```ts
 * const proxy = await FaultProxy.start(motoUrl, { faultRate: 0.2 });
 * const credstash = new Credstash({ endpoint: proxy.url, ... });
 * ...
 * console.log(proxy.counts());
 * await proxy.close();
 * ```
 */
export class FaultProxy {
  #url = '';
  #settings: FaultProxySettings;
  #random: () => number;
  readonly #server: Server;
  readonly #target: URL;
  readonly #scripted = new Map<string, (FaultKind | 'none')[]>();
  readonly #sockets = new Set<Socket>();
  #requests: Record<string, number> = {};
  #log: RequestRecord[] = [];
  #faults: Record<string, Record<string, number>> = {};
  #retries = 0;
  #connections = 0;
  readonly #replies = new Map<string, { status: number; headers: IncomingHttpHeaders; body: Buffer }>();

  private constructor(target: URL, settings: FaultProxySettings) {
    this.#target = target;
    this.#settings = settings;
    this.#random = seededRandom(settings.seed);
    this.#server = createServer((request, response) => {
      void this.#handle(request, response);
    });
    this.#server.on('connection', (socket) => {
      this.#connections += 1;
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Starts a proxy on an ephemeral port of 127.0.0.1 that forwards to `target`. */
  static async start(target: string, settings: Partial<FaultProxySettings> = {}): Promise<FaultProxy> {
    const targetUrl = new URL(target);
    if (targetUrl.hostname !== '127.0.0.1' && targetUrl.hostname !== 'localhost') {
      throw new Error(`the fault proxy only forwards to a server on this host, not to ${target}`);
    }

    const proxy = new FaultProxy(targetUrl, { ...DEFAULT_SETTINGS, ...settings });
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = proxy.#server.address();
    if (typeof address !== 'object' || address === null) {
      throw new Error('the fault proxy has no address');
    }
    proxy.#url = `http://127.0.0.1:${address.port}`;
    return proxy;
  }

  /** URL of the proxy, for a client's `endpoint` option. */
  get url(): string {
    return this.#url;
  }

  /** Changes some settings; a new `seed` restarts the random sequence. */
  configure(settings: Partial<FaultProxySettings>): void {
    this.#settings = { ...this.#settings, ...settings };
    if (settings.seed !== undefined) {
      this.#random = seededRandom(settings.seed);
    }
  }

  /**
   * Injects `kinds`, in order, into the next requests of `operation` (`Service.Operation`);
   * `none` lets one request through untouched.
   */
  script(operation: string, ...kinds: (FaultKind | 'none')[]): void {
    this.#scripted.set(operation, [...(this.#scripted.get(operation) ?? []), ...kinds]);
  }

  counts(): FaultProxyCounts {
    const faults = structuredClone(this.#faults);
    const totalFaults = Object.values(faults).reduce((sum, byOperation) => sum + Object.values(byOperation).reduce((a, b) => a + b, 0), 0);
    return { requests: { ...this.#requests }, retries: this.#retries, faults, totalFaults, connections: this.#connections };
  }

  /** Every request since the proxy started or the counts were reset, in arrival order. */
  requestLog(): readonly RequestRecord[] {
    return [...this.#log];
  }

  resetCounts(): void {
    this.#requests = {};
    this.#log = [];
    this.#faults = {};
    this.#retries = 0;
    this.#connections = 0;
  }

  /** Stops listening and destroys open connections. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const operation = operationName(request.headers['x-amz-target']);
    this.#requests[operation] = (this.#requests[operation] ?? 0) + 1;
    this.#log.push(describeRequest(operation, request, body));
    if (/attempt=([2-9]|\d\d)/.test(String(request.headers['amz-sdk-request'] ?? ''))) {
      this.#retries += 1;
    }

    if (this.#settings.fixedDelayMs > 0) {
      await sleep(this.#settings.fixedDelayMs);
    }

    const fault = this.#chooseFault(operation);
    if (fault !== undefined) {
      this.#faults[fault] ??= {};
      const byOperation = this.#faults[fault] as Record<string, number>;
      byOperation[operation] = (byOperation[operation] ?? 0) + 1;
    }

    switch (fault) {
      case undefined:
        await this.#forwardOrReplay(operation, request, body, response);
        return;
      case 'throttle':
      case 'throughput':
        sendError(response, 400, fault === 'throughput' ? 'ProvisionedThroughputExceededException' : 'ThrottlingException', operation);
        return;
      case 'http500':
        sendError(response, 500, 'InternalServerError', operation);
        return;
      case 'http503':
        sendError(response, 503, 'ServiceUnavailable', operation);
        return;
      case 'resetBefore':
        request.socket.destroy();
        return;
      case 'resetAfter':
        await this.#forward(request, body, undefined);
        request.socket.destroy();
        return;
      case 'delay':
        await sleep(this.#settings.delayMs);
        await this.#forward(request, body, response);
        return;
    }
  }

  #chooseFault(operation: string): FaultKind | undefined {
    const scripted = this.#scripted.get(operation);
    if (scripted !== undefined && scripted.length > 0) {
      const kind = scripted.shift();
      return kind === 'none' ? undefined : kind;
    }

    const { faultRate, faultKinds, faultOperations } = this.#settings;
    if (faultRate <= 0 || faultKinds.length === 0 || (faultOperations !== undefined && !faultOperations.includes(operation))) {
      return undefined;
    }
    if (this.#random() >= faultRate) {
      return undefined;
    }
    const kind = faultKinds[Math.floor(this.#random() * faultKinds.length)] as FaultKind;
    return kind === 'throughput' && !operation.startsWith('DynamoDB.') ? 'throttle' : kind;
  }

  async #forwardOrReplay(operation: string, request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
    if (!this.#settings.replayOperations.includes(operation)) {
      await this.#forward(request, body, response);
      return;
    }
    const key = `${operation}\n${body.toString('base64')}`;
    const stored = this.#replies.get(key);
    if (stored !== undefined) {
      response.writeHead(stored.status, stored.headers);
      response.end(stored.body);
      return;
    }
    await this.#forward(request, body, response, (reply) => {
      if (reply.status === 200) {
        this.#replies.set(key, reply);
      }
    });
  }

  // Sends the request to moto. Without `response`, the upstream response is read and dropped.
  async #forward(
    request: IncomingMessage,
    body: Buffer,
    response: ServerResponse | undefined,
    onReply?: (reply: { status: number; headers: IncomingHttpHeaders; body: Buffer }) => void,
  ): Promise<void> {
    const upstream = await new Promise<IncomingMessage | undefined>((resolve) => {
      const outgoing = httpRequest(
        {
          hostname: this.#target.hostname,
          port: this.#target.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        resolve,
      );
      outgoing.once('error', () => resolve(undefined));
      outgoing.end(body);
    });

    if (upstream === undefined) {
      request.socket.destroy();
      return;
    }
    const answer = await readBody(upstream);
    if (response === undefined || request.socket.destroyed) {
      return;
    }
    const reply = { status: upstream.statusCode ?? 502, headers: endToEndHeaders(upstream.headers), body: answer };
    onReply?.(reply);
    response.writeHead(reply.status, reply.headers);
    response.end(reply.body);
  }
}

// Hop-by-hop headers describe one connection, so a proxy must not pass them on. moto's server
// answers every request with `Connection: close`; forwarding that would make clients open a
// new connection to the proxy for every request, as they would not against AWS.
const HOP_BY_HOP_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

function endToEndHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP_HEADERS.has(name.toLowerCase())));
}

function operationName(target: string | string[] | undefined): string {
  if (typeof target !== 'string') {
    return 'unknown';
  }
  const [service = '', operation = ''] = target.split('.');
  return `${SERVICE_NAMES[service] ?? service}.${operation}`;
}

function describeRequest(operation: string, request: IncomingMessage, body: Buffer): RequestRecord {
  const scope = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(request.headers['authorization'] ?? ''));
  let fields: { TableName?: unknown; ResourceArn?: unknown; KeyId?: unknown; AliasName?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    fields = typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    // A body that is not JSON names no resource.
  }
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    operation,
    region: scope?.[1],
    tableName: text(fields.TableName),
    resourceArn: text(fields.ResourceArn),
    keyId: text(fields.AliasName) ?? text(fields.KeyId),
  };
}

function sendError(response: ServerResponse, status: number, type: string, operation: string): void {
  const body = JSON.stringify({ __type: type, message: `fault injected by the test proxy into ${operation}` });
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', () => resolve(Buffer.concat(chunks)));
    stream.once('aborted', () => resolve(Buffer.concat(chunks)));
  });
}

// Mulberry32: a small seeded generator, so that a fault sequence can be replayed.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
