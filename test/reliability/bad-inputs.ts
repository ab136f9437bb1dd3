// The table of invalid inputs. Each library row is a call that must be rejected with an
// InvalidArgumentError before any provider is called. Each CLI row is a command line that
// must exit with status 1 and print the message. `mentions` lists text that the message
// must contain: the rejected value (or its size or type) and the fix.
import {
  Credstash,
  DynamoDbTableProvider,
  FileTableProvider,
  KmsKeyProvider,
  LocalKeyProvider,
  offlineProviders,
  NAME_CONTEXT_KEY,
} from '../../src/index.js';

/** A call on the library that must be rejected. */
export interface LibraryRow {
  readonly title: string;
  /** Makes the call; it may throw at once or return a promise that rejects. */
  readonly call: (credstash: Credstash, bound: Credstash) => unknown;
  /** Expected `InvalidArgumentError.argument`. */
  readonly argument: string;
  readonly mentions: readonly string[];
  /** The key provider is the one that rejects the input, so it is called once; the table never is. */
  readonly rejectedByKeyProvider?: boolean;
}

/** A command line of the CLI that must exit with status 1. */
export interface CliRow {
  readonly title: string;
  /** Arguments after the program name; `{dir}` is replaced by a private temporary folder. */
  readonly argv: readonly string[];
  /** Files the row needs in `{dir}` before it runs. */
  readonly prepare?: 'missing-file' | 'unreadable-file' | 'folder-as-file' | 'oversized-file';
  readonly mentions: readonly string[];
}

const NAME_LIMIT = 2048;
const OVERSIZED_SECRET = 'x'.repeat(400 * 1024);

export const LIBRARY_ROWS: readonly LibraryRow[] = [
  // Names: DynamoDB partition keys are 1 to 2048 bytes of UTF-8.
  { title: 'empty name on put', call: (c) => c.putSecret('', 'x'), argument: 'name', mentions: ['""', 'non-empty name'] },
  { title: 'empty name on get', call: (c) => c.getSecret(''), argument: 'name', mentions: ['""', 'non-empty name'] },
  { title: 'empty name on delete', call: (c) => c.deleteSecret('', 1), argument: 'name', mentions: ['""', 'non-empty name'] },
  { title: 'empty name on deleteSecrets', call: (c) => c.deleteSecrets(''), argument: 'name', mentions: ['""', 'non-empty name'] },
  { title: 'empty name on getHighestVersion', call: (c) => c.getHighestVersion(''), argument: 'name', mentions: ['""', 'non-empty name'] },
  {
    title: `name of ${NAME_LIMIT + 1} ASCII bytes`,
    call: (c) => c.putSecret('n'.repeat(NAME_LIMIT + 1), 'x'),
    argument: 'name',
    mentions: [`${NAME_LIMIT + 1} bytes`, `${NAME_LIMIT} bytes`, 'shorter name'],
  },
  {
    title: 'name of 1025 two-byte characters',
    call: (c) => c.getSecret('é'.repeat(1025)),
    argument: 'name',
    mentions: ['2050 bytes', 'shorter name'],
  },
  { title: 'name that is a number', call: (c) => c.putSecret(42 as never, 'x'), argument: 'name', mentions: ['type number', 'as a string'] },
  { title: 'name that is undefined', call: (c) => c.getSecret(undefined as never), argument: 'name', mentions: ['type undefined', 'as a string'] },
  { title: 'name with a lone surrogate', call: (c) => c.putSecret('db\uD800', 'x'), argument: 'name', mentions: ['unpaired UTF-16 surrogate', 'Remove or replace'] },

  // Versions: at most 19 printable ASCII characters on write, never negative.
  { title: 'version -1', call: (c) => c.putSecret('n', 'x', { version: -1 }), argument: 'version', mentions: ['-1', 'non-negative integer'] },
  { title: 'version "-1"', call: (c) => c.putSecret('n', 'x', { version: '-1' }), argument: 'version', mentions: ['"-1"', 'positive version'] },
  { title: 'version -3 on get', call: (c) => c.getSecret('n', { version: -3 }), argument: 'version', mentions: ['-3', 'non-negative integer'] },
  { title: 'version "-7" on delete', call: (c) => c.deleteSecret('n', '-7'), argument: 'version', mentions: ['"-7"', 'positive version'] },
  { title: 'version 1.5', call: (c) => c.putSecret('n', 'x', { version: 1.5 }), argument: 'version', mentions: ['1.5', 'non-negative integer'] },
  { title: 'version NaN', call: (c) => c.putSecret('n', 'x', { version: Number.NaN }), argument: 'version', mentions: ['NaN', 'non-negative integer'] },
  { title: 'version above 2^53', call: (c) => c.putSecret('n', 'x', { version: 2 ** 60 }), argument: 'version', mentions: ['1152921504606847000', 'MAX_SAFE_INTEGER', 'as a string'] },
  {
    title: 'version of 20 characters',
    call: (c) => c.putSecret('n', 'x', { version: '12345678901234567890' }),
    argument: 'version',
    mentions: ['"12345678901234567890"', 'at most 19', 'shorter version'],
  },
  {
    title: 'version of 1025 bytes on get',
    call: (c) => c.getSecret('n', { version: 'v'.repeat(1025) }),
    argument: 'version',
    mentions: ['1025 bytes', '1024 bytes', 'shorter version'],
  },
  { title: 'version that is an object', call: (c) => c.putSecret('n', 'x', { version: {} as never }), argument: 'version', mentions: ['type object', 'such as "7"'] },
  { title: 'version that is a boolean', call: (c) => c.getSecret('n', { version: true as never }), argument: 'version', mentions: ['type boolean', 'such as "7"'] },
  { title: 'empty version', call: (c) => c.putSecret('n', 'x', { version: '' }), argument: 'version', mentions: ['""', 'leave the option out'] },
  { title: 'version with a space', call: (c) => c.putSecret('n', 'x', { version: '1 0' }), argument: 'version', mentions: ['"1 0"', 'printable ASCII'] },
  { title: 'version with non-ASCII', call: (c) => c.putSecret('n', 'x', { version: 'v1é' }), argument: 'version', mentions: ['"v1é"', 'printable ASCII'] },
  {
    title: 'version with autoVersion',
    call: (c) => c.putSecret('n', 'x', { version: 2, autoVersion: true }),
    argument: 'version',
    mentions: ['either version or autoVersion'],
  },
  { title: 'autoVersion that is a string', call: (c) => c.putSecret('n', 'x', { autoVersion: 'true' as never }), argument: 'autoVersion', mentions: ['"true"', 'true or false'] },

  // Digests: exactly one of the six credstash names, case-sensitive.
  { title: 'digest in lower case', call: (c) => c.putSecret('n', 'x', { digest: 'sha256' as never }), argument: 'digest', mentions: ['"sha256"', 'use "SHA256"'] },
  { title: 'digest in mixed case', call: (c) => c.putSecret('n', 'x', { digest: 'Sha512' as never }), argument: 'digest', mentions: ['"Sha512"', 'use "SHA512"'] },
  { title: 'unknown digest', call: (c) => c.putSecret('n', 'x', { digest: 'SHA3' as never }), argument: 'digest', mentions: ['"SHA3"', 'expected one of SHA, SHA224'] },
  { title: 'digest with a hyphen', call: (c) => c.putSecret('n', 'x', { digest: 'SHA-256' as never }), argument: 'digest', mentions: ['"SHA-256"', 'expected one of'] },
  { title: 'empty digest', call: (c) => c.putSecret('n', 'x', { digest: '' as never }), argument: 'digest', mentions: ['""', 'expected one of'] },
  { title: 'digest that is a number', call: (c) => c.putSecret('n', 'x', { digest: 256 as never }), argument: 'digest', mentions: ['256', 'expected one of'] },

  // Encryption contexts: non-empty string keys mapped to non-empty strings.
  { title: 'context with an empty key', call: (c) => c.putSecret('n', 'x', { context: { '': 'v' } }), argument: 'context', mentions: ['context key ""', 'non-empty text'] },
  { title: 'context with an empty value', call: (c) => c.putSecret('n', 'x', { context: { env: '' } }), argument: 'context', mentions: ['key "env"', 'non-empty text'] },
  {
    title: 'context value that is a number',
    call: (c) => c.getSecret('n', { context: { env: 5 as never } }),
    argument: 'context',
    mentions: ['key "env"', 'expected a string, received number'],
  },
  {
    title: 'context value that is null',
    call: (c) => c.getAllSecrets({ context: { env: null as never } }),
    argument: 'context',
    mentions: ['key "env"', 'expected a string, received object'],
  },
  {
    title: 'context value that is undefined',
    call: (c) => c.putSecret('n', 'x', { context: { env: undefined as never } }),
    argument: 'context',
    mentions: ['key "env"', 'received undefined'],
  },
  { title: 'context that is a string', call: (c) => c.putSecret('n', 'x', { context: 'env=prod' as never }), argument: 'context', mentions: ['pass an object', '{ env: "prod" }'] },
  { title: 'context that is an array', call: (c) => c.getSecret('n', { context: ['env', 'prod'] as never }), argument: 'context', mentions: ['pass an object'] },
  { title: 'context that is null', call: (c) => c.getSecret('n', { context: null as never }), argument: 'context', mentions: ['pass an object'] },
  {
    title: 'context key with a lone surrogate',
    call: (c) => c.putSecret('n', 'x', { context: { 'k\uDC00': 'v' } }),
    argument: 'context',
    mentions: ['"k\\udc00"', 'non-empty text'],
  },
  {
    title: 'context with the bindName key',
    call: (_c, bound) => bound.putSecret('n', 'x', { context: { [NAME_CONTEXT_KEY]: 'n' } }),
    argument: 'context',
    mentions: [`"${NAME_CONTEXT_KEY}"`, 'Leave it out'],
  },

  // Secrets: text that fits in one 400 KB DynamoDB item with its name and sealed key.
  {
    title: 'secret of 400 KB',
    call: (c) => c.putSecret('n', OVERSIZED_SECRET),
    argument: 'secret',
    mentions: [`${OVERSIZED_SECRET.length} bytes`, 'the limit is', 'store large data elsewhere'],
  },
  {
    title: 'secret of 200 K four-byte characters',
    call: (c) => c.putSecret('n', '🔐'.repeat(100 * 1024)),
    argument: 'secret',
    mentions: [`${400 * 1024} bytes`, 'the limit is'],
  },
  { title: 'secret that is a number', call: (c) => c.putSecret('n', 1234 as never), argument: 'secret', mentions: ['type number', 'as a string'] },
  { title: 'secret that is undefined', call: (c) => c.putSecret('n', undefined as never), argument: 'secret', mentions: ['type undefined', 'as a string'] },
  { title: 'secret that is a Buffer', call: (c) => c.putSecret('n', Buffer.from('x') as never), argument: 'secret', mentions: ['type object', 'as a string'] },
  { title: 'secret with a lone surrogate', call: (c) => c.putSecret('n', 'pass\uD83D'), argument: 'secret', mentions: ['unpaired UTF-16 surrogate', 'Remove or replace'] },

  // Other options.
  { title: 'comment that is a number', call: (c) => c.putSecret('n', 'x', { comment: 5 as never }), argument: 'comment', mentions: ['invalid comment', 'leave the option out'] },
  { title: 'options that are null on put', call: (c) => c.putSecret('n', 'x', null as never), argument: 'options', mentions: ['putSecret', 'received null'] },
  { title: 'options that are null on get', call: (c) => c.getSecret('n', null as never), argument: 'options', mentions: ['getSecret', 'received null'] },
  { title: 'options that are a string', call: (c) => c.getAllSecrets('prod' as never), argument: 'options', mentions: ['getAllSecrets', 'received string'] },
  { title: 'options that are null on deleteSecrets', call: (c) => c.deleteSecrets('n', null as never), argument: 'options', mentions: ['deleteSecrets', 'received null'] },
  { title: 'onDeleted that is a string', call: (c) => c.deleteSecrets('n', { onDeleted: 'log' as never }), argument: 'onDeleted', mentions: ['type string', 'pass a function'] },
  { title: 'getAllSecrets concurrency 0', call: (c) => c.getAllSecrets({ concurrency: 0 }), argument: 'concurrency', mentions: ['concurrency 0', 'positive integer'] },
  { title: 'getAllSecrets pageSize -1', call: (c) => c.getAllSecrets({ pageSize: -1 }), argument: 'pageSize', mentions: ['pageSize -1', 'positive integer'] },
  { title: 'paginateSecrets pageSize 1.5', call: (c) => c.paginateSecrets({ pageSize: 1.5 }).next(), argument: 'pageSize', mentions: ['pageSize 1.5', 'positive integer'] },
  { title: 'allowPartial that is a string', call: (c) => c.getAllSecrets({ allowPartial: 'yes' as never }), argument: 'allowPartial', mentions: ['"yes"', 'true or false'] },
  { title: 'empty pattern', call: (c) => c.getAllSecrets({ pattern: '' }), argument: 'pattern', mentions: ['non-empty string', '"app/*"'] },
  { title: 'setup tag with an empty key', call: (c) => c.setup({ tags: { '': 'x' } }), argument: 'tags', mentions: ['tag ""', 'non-empty keys'] },
  { title: 'setup tag that is a number', call: (c) => c.setup({ tags: { team: 5 as never } }), argument: 'tags', mentions: ['tag "team"', 'to strings'] },
  { title: 'setup tags that are a string', call: (c) => c.setup({ tags: 'team=payments' as never }), argument: 'tags', mentions: ['invalid tags', 'such as { team: "payments" }'] },
  {
    title: 'setup with zero capacity',
    call: (c) => c.setup({ billing: { mode: 'PROVISIONED', readCapacity: 0, writeCapacity: 1 } }),
    argument: 'billing',
    mentions: ['readCapacity', 'positive integers'],
  },
  {
    title: 'keyId with the local key provider',
    call: (c) => c.putSecret('n', 'x', { keyId: 'alias/other' }),
    argument: 'keyId',
    mentions: ['single master key', 'leave keyId out'],
    rejectedByKeyProvider: true,
  },

  // Constructors: rejected before any client or file exists.
  { title: 'Credstash options that are null', call: () => new Credstash(null as never), argument: 'options', mentions: ['Credstash', 'received null'] },
  { title: 'Credstash concurrency 0', call: () => new Credstash({ concurrency: 0 }), argument: 'concurrency', mentions: ['concurrency 0', 'positive integer'] },
  { title: 'bindName that is a string', call: () => new Credstash({ bindName: 'yes' as never }), argument: 'bindName', mentions: ['yes', 'true or false'] },
  { title: 'maxAttempts 0', call: () => new KmsKeyProvider({ maxAttempts: 0 }), argument: 'maxAttempts', mentions: ['maxAttempts 0', 'positive integer'] },
  { title: 'maxAttempts 2.5', call: () => new DynamoDbTableProvider({ maxAttempts: 2.5 }), argument: 'maxAttempts', mentions: ['maxAttempts 2.5', 'positive integer'] },
  { title: 'requestTimeout -1', call: () => new DynamoDbTableProvider({ requestTimeout: -1 }), argument: 'requestTimeout', mentions: ['requestTimeout -1', 'milliseconds'] },
  { title: 'connectionTimeout NaN', call: () => new KmsKeyProvider({ connectionTimeout: Number.NaN }), argument: 'connectionTimeout', mentions: ['connectionTimeout NaN', 'milliseconds'] },
  { title: 'unknown retryMode', call: () => new KmsKeyProvider({ retryMode: 'fast' as never }), argument: 'retryMode', mentions: ['"fast"', '"standard" or "adaptive"'] },
  { title: 'master key of 16 bytes', call: () => new LocalKeyProvider({ masterKey: new Uint8Array(16) }), argument: 'masterKey', mentions: ['32 bytes', 'received 16'] },
  { title: 'empty master key path', call: () => new LocalKeyProvider({ keyFile: '' }), argument: 'keyFile', mentions: ['invalid keyFile', 'path of the master key file'] },
  { title: 'empty file table path', call: () => new FileTableProvider({ path: '' }), argument: 'path', mentions: ['invalid path', 'path of the table file'] },
  { title: 'empty offline directory', call: () => offlineProviders({ directory: '' }), argument: 'directory', mentions: ['invalid directory', 'folder'] },
  { title: 'offline table with a slash', call: () => offlineProviders({ directory: 'x', table: 'a/b' }), argument: 'table', mentions: ['"a/b"', 'cannot contain slashes'] },
  { title: 'offline table starting with a dot', call: () => offlineProviders({ directory: 'x', table: '.hidden' }), argument: 'table', mentions: ['".hidden"', 'start with a dot'] },
];

// Each row runs `credstash-ts --offline DIR ...` on a table that already holds one secret,
// which must stay unchanged.
export const CLI_ROWS: readonly CliRow[] = [
  { title: 'put with an empty name', argv: ['put', '', 'value'], mentions: ['invalid name ""'] },
  { title: 'get with an oversized name', argv: ['get', 'n'.repeat(NAME_LIMIT + 1)], mentions: [`${NAME_LIMIT + 1} bytes`] },
  { title: 'put with version -1', argv: ['put', 'n', 'value', '-v', '-1'], mentions: ['"-1"', 'negative'] },
  { title: 'put with a 20-character version', argv: ['put', 'n', 'value', '-v', '12345678901234567890'], mentions: ['at most 19'] },
  { title: 'put with a lower-case digest', argv: ['put', 'n', 'value', '-d', 'sha256'], mentions: ['use "SHA256"'] },
  { title: 'put with an unknown digest', argv: ['put', 'n', 'value', '-d', 'SHA3'], mentions: ['"SHA3"'] },
  { title: 'put with a context pair without a value', argv: ['put', 'n', 'value', 'env='], mentions: ['"env="', 'KEY=VALUE'] },
  { title: 'get with a context pair without a key', argv: ['get', 'n', '=prod'], mentions: ['"=prod"', 'KEY=VALUE'] },
  { title: 'get with a context word without "="', argv: ['get', 'n', 'prod'], mentions: ['"prod"', 'KEY=VALUE'] },
  { title: 'put with a missing @file', argv: ['put', 'n', '@{dir}/missing.txt'], prepare: 'missing-file', mentions: ['missing.txt', 'not found'] },
  { title: 'put with an unreadable @file', argv: ['put', 'n', '@{dir}/unreadable.txt'], prepare: 'unreadable-file', mentions: ['unreadable.txt'] },
  { title: 'put with a folder as @file', argv: ['put', 'n', '@{dir}/folder'], prepare: 'folder-as-file', mentions: ['folder'] },
  { title: 'put with an oversized @file', argv: ['put', 'n', '@{dir}/big.txt'], prepare: 'oversized-file', mentions: ['do not fit'] },
  { title: 'putall with a non-string value', argv: ['putall', '{"n": 5}'], mentions: ['"n"', 'string'] },
];
