import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { InvalidArgumentError, TableNotFoundError, TableProviderError } from '../errors/index.js';
import type { CredstashItem, ItemAttributes } from '../format/item.js';
import { buildClientConfig, describeAwsError, describeClientTarget, sendOptionsOf, validateClientOptions, type AwsClientOptions, type SendOptions } from '../lib/aws-client-options.js';
import { logAttempts } from './lib/attempt-log.js';
import type { CreateTableOptions, ItemPage, ScanOptions, TableProvider } from './table-provider.js';
import { requireOptionsObject, validateDuration } from '../lib/constructor-options.js';

/**
 * Options of {@link DynamoDbTableProvider}.
 *
 * @example
 * ```ts
 * new DynamoDbTableProvider({ tableName: 'credential-store', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' });
 * ```
 */
export interface DynamoDbTableProviderOptions extends AwsClientOptions {
  /** Table name. @default `CREDSTASH_DEFAULT_TABLE`, else `"credential-store"` */
  readonly tableName?: string;
  /** A ready DynamoDB client. When given, the connection options above are ignored. */
  readonly client?: DynamoDBClient;
  /** How long `createTable` waits for a new table to become ACTIVE, in seconds. @default 300 */
  readonly setupTimeout?: number;
}

/**
 * Table name used when neither the option nor `CREDSTASH_DEFAULT_TABLE` is set, as in
 * Python credstash.
 *
 * @example
 * ```ts
 * new DynamoDbTableProvider({ tableName: DEFAULT_TABLE_NAME }); // "credential-store"
 * ```
 */
export const DEFAULT_TABLE_NAME = 'credential-store';

type DynamoDbModule = typeof import('./lib/dynamodb-sdk.js');

// `name` is a DynamoDB reserved word, so every expression refers to attributes through
// placeholders.
const NAMES = { '#name': 'name', '#version': 'version', '#comment': 'comment' };

/**
 * Table provider backed by an Amazon DynamoDB table with the credstash key schema.
 * The SDK module is loaded, and the client created, on the first call; one client serves
 * every call of the provider. Reads are strongly consistent.
 *
 * @example
 * ```ts
 * const table = new DynamoDbTableProvider({ tableName: 'credential-store', region: 'eu-west-1' });
 * const credstash = new Credstash({ tableProvider: table });
 * ```
 */
export class DynamoDbTableProvider implements TableProvider {
  readonly tableName: string;
  readonly #options: DynamoDbTableProviderOptions;
  readonly #sendOptions: SendOptions;
  #ready: Promise<{ sdk: DynamoDbModule; client: DynamoDBClient }> | undefined;

  constructor(dynamoOptions: DynamoDbTableProviderOptions = {}) {
    const options = requireOptionsObject(dynamoOptions, 'DynamoDbTableProvider', 'an options object or nothing');
    validateClientOptions(options);
    validateDuration('setupTimeout', options.setupTimeout, 'seconds');
    if (options.tableName !== undefined && (typeof options.tableName !== 'string' || !/^(?:[A-Za-z0-9_.-]{3,255}|arn:\S+)$/.test(options.tableName))) {
      throw new InvalidArgumentError(
        'tableName',
        `invalid tableName ${JSON.stringify(options.tableName)}: DynamoDB table names have 3 to 255 characters from A-Z, a-z, 0-9, "_", "-" and ".", or are a table ARN.`,
      );
    }
    this.tableName = options.tableName ?? (process.env['CREDSTASH_DEFAULT_TABLE'] || DEFAULT_TABLE_NAME);
    this.#options = options;
    this.#sendOptions = sendOptionsOf(options);
  }

  async createTable(options: CreateTableOptions): Promise<'created' | 'exists'> {
    const { sdk, client } = await this.#load();
    const billing = options.billing ?? { mode: 'PAY_PER_REQUEST' };
    const tags = [{ Key: 'Name', Value: 'credstash' }, ...Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value }))];
    const startedAt = Date.now();
    let result: 'created' | 'exists' = 'created';
    // Tags are part of the CreateTable call, so no table is ever seen untagged and a second
    // setup never tags it again.
    const command = new sdk.CreateTableCommand({
      TableName: this.tableName,
      KeySchema: [
        { AttributeName: 'name', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'name', AttributeType: 'S' },
        { AttributeName: 'version', AttributeType: 'S' },
      ],
      ...(billing.mode === 'PROVISIONED'
        ? {
            BillingMode: 'PROVISIONED',
            ProvisionedThroughput: { ReadCapacityUnits: billing.readCapacity, WriteCapacityUnits: billing.writeCapacity },
          }
        : { BillingMode: 'PAY_PER_REQUEST' }),
      Tags: tags,
    });
    const attempts = logAttempts(command);

    try {
      await client.send(command, this.#sendOptions);
    } catch (error) {
      // A table that exists, or that another setup is creating right now, is success:
      // setup is idempotent and safe to run twice at once.
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) {
        throw await this.#error('CreateTable', error, client);
      }
      result = 'exists';
    }

    await this.#waitUntilActive(sdk, client);
    // An attempt whose response was lost may have created the table before the SDK retried
    // into ResourceInUseException. DynamoDB has no idempotency token for CreateTable, so a
    // table created after this call started then counts as created by it.
    // NOTE: a concurrent setup that created the table in that window is then reported as
    // "created" too; the table itself is the same either way.
    if (result === 'exists' && attempts.maybeExecutedBeforeRetry && (await this.#creationTime(sdk, client)) >= startedAt) {
      result = 'created';
    }
    return result;
  }

  async putItem(item: CredstashItem): Promise<'created' | 'exists'> {
    const { sdk, client } = await this.#load();

    try {
      await client.send(
        new sdk.PutItemCommand({
          TableName: this.tableName,
          Item: item as unknown as Record<string, AttributeValue>,
          ConditionExpression: 'attribute_not_exists(#name)',
          ExpressionAttributeNames: { '#name': 'name' },
        }),
        this.#sendOptions,
      );
      return 'created';
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
        return 'exists';
      }
      throw await this.#error('PutItem', error, client);
    }
  }

  async getItem(name: string, version: string): Promise<ItemAttributes | undefined> {
    const { sdk, client } = await this.#load();

    try {
      const response = await client.send(
        new sdk.GetItemCommand({ TableName: this.tableName, Key: { name: { S: name }, version: { S: version } }, ConsistentRead: true }),
        this.#sendOptions,
      );
      return response.Item;
    } catch (error) {
      throw await this.#error('GetItem', error, client);
    }
  }

  async getLatestItem(name: string): Promise<ItemAttributes | undefined> {
    const { sdk, client } = await this.#load();

    try {
      const response = await client.send(
        new sdk.QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#name = :name',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: { ':name': { S: name } },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
        this.#sendOptions,
      );
      return response.Items?.[0];
    } catch (error) {
      throw await this.#error('Query', error, client);
    }
  }

  async *queryVersions(name: string, options: { readonly pageSize?: number } = {}): AsyncIterable<ItemPage> {
    const { sdk, client } = await this.#load();
    let startKey: Record<string, AttributeValue> | undefined;

    do {
      try {
        const response = await client.send(
          new sdk.QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#name = :name',
            ProjectionExpression: '#name, #version',
            ExpressionAttributeNames: { '#name': 'name', '#version': 'version' },
            ExpressionAttributeValues: { ':name': { S: name } },
            ConsistentRead: true,
            ...(options.pageSize === undefined ? {} : { Limit: options.pageSize }),
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
          this.#sendOptions,
        );
        startKey = response.LastEvaluatedKey;
        yield { items: response.Items ?? [] };
      } catch (error) {
        throw await this.#error('Query', error, client);
      }
    } while (startKey !== undefined);
  }

  async *scanItems(options: ScanOptions = {}): AsyncIterable<ItemPage> {
    const { sdk, client } = await this.#load();
    const summary = (options.attributes ?? 'summary') === 'summary';
    let startKey: Record<string, AttributeValue> | undefined;

    do {
      let page: ItemPage;
      try {
        const response = await client.send(
          new sdk.ScanCommand({
            TableName: this.tableName,
            ConsistentRead: true,
            ...(summary ? { ProjectionExpression: '#name, #version, #comment', ExpressionAttributeNames: NAMES } : {}),
            ...(options.pageSize === undefined ? {} : { Limit: options.pageSize }),
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
          this.#sendOptions,
        );
        startKey = response.LastEvaluatedKey;
        page = { items: response.Items ?? [] };
      } catch (error) {
        throw await this.#error('Scan', error, client);
      }
      yield page;
    } while (startKey !== undefined);
  }

  async deleteItem(name: string, version: string): Promise<'deleted' | 'missing'> {
    const { sdk, client } = await this.#load();
    const command = new sdk.DeleteItemCommand({
      TableName: this.tableName,
      Key: { name: { S: name }, version: { S: version } },
      ConditionExpression: 'attribute_exists(#name)',
      ExpressionAttributeNames: { '#name': 'name' },
    });
    const attempts = logAttempts(command);

    try {
      await client.send(command, this.#sendOptions);
      return 'deleted';
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
        // The condition also fails when an earlier attempt deleted the item and its response
        // was lost. The version is gone either way, so that counts as deleted.
        return attempts.maybeExecutedBeforeRetry ? 'deleted' : 'missing';
      }
      throw await this.#error('DeleteItem', error, client);
    }
  }

  async #waitUntilActive(sdk: DynamoDbModule, client: DynamoDBClient): Promise<void> {
    try {
      await sdk.waitUntilTableExists(
        { client, maxWaitTime: this.#options.setupTimeout ?? 300, minDelay: 1, maxDelay: 5, ...(this.#sendOptions.abortSignal === undefined ? {} : { abortSignal: this.#sendOptions.abortSignal }) },
        { TableName: this.tableName },
      );
    } catch (error) {
      throw await this.#error('DescribeTable', error, client);
    }
  }

  // Returns the table's creation time in epoch milliseconds, or 0 when DynamoDB omits it.
  async #creationTime(sdk: DynamoDbModule, client: DynamoDBClient): Promise<number> {
    try {
      const description = await client.send(new sdk.DescribeTableCommand({ TableName: this.tableName }), this.#sendOptions);
      return description.Table?.CreationDateTime?.getTime() ?? 0;
    } catch (error) {
      throw await this.#error('DescribeTable', error, client);
    }
  }

  async #error(operation: string, error: unknown, client: DynamoDBClient): Promise<TableProviderError> {
    const target = await describeClientTarget(client, 'DynamoDB');
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      return new TableNotFoundError(this.tableName, `(${target})`, { cause: error });
    }
    return new TableProviderError(`DynamoDB ${operation} on table "${this.tableName}" failed (${target}): ${describeAwsError(error)}`, {
      cause: error,
    });
  }

  #load(): Promise<{ sdk: DynamoDbModule; client: DynamoDBClient }> {
    this.#ready ??= import('./lib/dynamodb-sdk.js').then((sdk) => ({
      sdk,
      client: this.#options.client ?? new sdk.DynamoDBClient(buildClientConfig(this.#options)),
    }));
    return this.#ready;
  }
}
