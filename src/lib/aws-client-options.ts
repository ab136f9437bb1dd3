import { InvalidArgumentError } from '../errors/index.js';

/**
 * Static AWS credentials, or a function that resolves them (as the AWS SDK accepts).
 *
 * @example
 * ```ts
 * new Credstash({ credentials: { accessKeyId: 'AKIA...', secretAccessKey: '...', sessionToken: '...' } });
 * ```
 */
export type AwsCredentials =
  | { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string; readonly expiration?: Date }
  | (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>);

/**
 * Connection settings shared by the KMS and DynamoDB providers. Every field is optional;
 * what is left out follows the AWS SDK's usual resolution (environment, shared config files,
 * instance metadata).
 *
 * @example
 * ```ts
 * new Credstash({ region: 'eu-west-1', profile: 'ops', maxAttempts: 5, connectionTimeout: 2000, requestTimeout: 5000 });
 * ```
 */
export interface AwsClientOptions {
  /** AWS region. @default `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the SDK's profile configuration. */
  readonly region?: string;
  /** Endpoint URL, for LocalStack, moto or a VPC endpoint. @default the SDK's endpoint for the region, or `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL`. */
  readonly endpoint?: string;
  /** Named profile from the shared AWS config files. */
  readonly profile?: string;
  readonly credentials?: AwsCredentials;
  /**
   * Attempts per request, including the first. Throttling, 5xx responses, timeouts and
   * connection resets are retried with the SDK's exponential backoff and jitter.
   * @default `AWS_MAX_ATTEMPTS`, else the SDK's default (4 for DynamoDB and 3 for KMS in AWS SDK 3.1178)
   */
  readonly maxAttempts?: number;
  /**
   * The SDK's retry mode: `"adaptive"` also slows the client down after throttling errors.
   * @default `AWS_RETRY_MODE`, else `"standard"`
   */
  readonly retryMode?: 'standard' | 'adaptive';
  /** Time to establish a TCP connection, in milliseconds. @default 5000 */
  readonly connectionTimeout?: number;
  /** Time to wait for a response once connected, in milliseconds. @default 20000 */
  readonly requestTimeout?: number;
  /**
   * Aborts the provider's pending requests when it fires, and makes later requests fail at
   * once, with the SDK's `AbortError` (not retried). For a process that stops, such as a
   * service on SIGTERM.
   */
  readonly abortSignal?: AbortSignal;
}

/** Options of each request a provider sends: the client-wide abort signal, if any. */
export interface SendOptions {
  readonly abortSignal?: AbortSignal;
}

/** Returns the options a provider passes with each request. */
export function sendOptionsOf(options: AwsClientOptions): SendOptions {
  return options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal };
}

/** Default connection timeout in milliseconds. The SDK's own default is to wait forever. */
export const DEFAULT_CONNECTION_TIMEOUT = 5_000;
/** Default response timeout in milliseconds. The SDK's own default is to wait forever. */
export const DEFAULT_REQUEST_TIMEOUT = 20_000;

/**
 * Rejects connection, retry and timeout settings that the AWS SDK would misread or fail on
 * only later with a less clear message.
 */
export function validateClientOptions(options: AwsClientOptions): void {
  if (options.endpoint !== undefined) {
    let protocol: string | undefined;
    try {
      protocol = new URL(options.endpoint).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new InvalidArgumentError('endpoint', `invalid endpoint ${JSON.stringify(options.endpoint)}: pass an http:// or https:// URL such as "http://127.0.0.1:4566".`);
    }
  }
  for (const option of ['region', 'profile'] as const) {
    const value: unknown = options[option];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new InvalidArgumentError(option, `invalid ${option}: pass a non-empty string, or leave the option out.`);
    }
  }
  const { maxAttempts, retryMode } = options;
  if (maxAttempts !== undefined && !(typeof maxAttempts === 'number' && Number.isSafeInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new InvalidArgumentError('maxAttempts', `invalid maxAttempts ${String(maxAttempts)}: expected a positive integer (1 turns retries off).`);
  }
  if (retryMode !== undefined && retryMode !== 'standard' && retryMode !== 'adaptive') {
    throw new InvalidArgumentError('retryMode', `invalid retryMode ${JSON.stringify(retryMode)}: expected "standard" or "adaptive".`);
  }
  if (options.abortSignal !== undefined && !(options.abortSignal instanceof AbortSignal)) {
    throw new InvalidArgumentError('abortSignal', 'invalid abortSignal: pass an AbortSignal, such as new AbortController().signal.');
  }
  for (const name of ['connectionTimeout', 'requestTimeout'] as const) {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new InvalidArgumentError(name, `invalid ${name} ${String(value)}: expected a positive number of milliseconds.`);
    }
  }
}

const SILENT_LOGGER = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Builds the configuration object for an AWS SDK v3 client constructor. */
export function buildClientConfig(options: AwsClientOptions): Record<string, unknown> {
  const config: Record<string, unknown> = {
    requestHandler: {
      connectionTimeout: options.connectionTimeout ?? DEFAULT_CONNECTION_TIMEOUT,
      requestTimeout: options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT,
      // Without this flag the SDK's HTTP handler only logs a warning when requestTimeout
      // passes, and keeps waiting. With it, the request fails with a retryable TimeoutError.
      throwOnRequestTimeout: true,
      // The handler logs to the console unless given a logger, and a library must not print.
      logger: SILENT_LOGGER,
    },
  };

  // The SDK reads AWS_REGION but not AWS_DEFAULT_REGION, which boto3 and so Python
  // credstash users rely on.
  const region = options.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'];
  if (region !== undefined && region !== '') {
    config['region'] = region;
  }
  if (options.endpoint !== undefined) {
    config['endpoint'] = options.endpoint;
  }
  if (options.profile !== undefined) {
    config['profile'] = options.profile;
  }
  if (options.credentials !== undefined) {
    config['credentials'] = options.credentials;
  }
  if (options.maxAttempts !== undefined) {
    config['maxAttempts'] = options.maxAttempts;
  }
  if (options.retryMode !== undefined) {
    config['retryMode'] = options.retryMode;
  }
  return config;
}

interface ClientWithConfig {
  readonly config: {
    readonly region?: unknown;
    readonly endpoint?: unknown;
  };
}

/**
 * Describes where a client sends its requests, for error messages: the endpoint URL when
 * one was set, else the region.
 */
export async function describeClientTarget(client: ClientWithConfig, service: string): Promise<string> {
  try {
    const endpoint = typeof client.config.endpoint === 'function' ? await client.config.endpoint() : undefined;
    if (isEndpoint(endpoint)) {
      const port = endpoint.port === undefined ? '' : `:${endpoint.port}`;
      return `${service} at ${endpoint.protocol}//${endpoint.hostname}${port}${endpoint.path ?? ''}`;
    }
    const region = typeof client.config.region === 'function' ? await client.config.region() : client.config.region;
    return `${service} in region ${String(region)}`;
  } catch {
    return `${service} (region not configured)`;
  }
}

function isEndpoint(value: unknown): value is { protocol: string; hostname: string; port?: number; path?: string } {
  return typeof value === 'object' && value !== null && typeof (value as { hostname?: unknown }).hostname === 'string';
}

/** Formats an AWS SDK error as `Name: message` for inclusion in our messages. */
export function describeAwsError(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  // A trailing period is dropped, because callers continue the sentence.
  const message = error.message === '' ? '(no message)' : error.message.replace(/\.+$/, '');
  return `${error.name}: ${message}`;
}
