// Lower bound of a cold `get` through the AWS SDK: the Query and the Decrypt that a get
// sends, with no CLI, no validation and no decryption. bench/cli-get.ts bundles this file
// the way the CLI is bundled and runs it in a new process. The SDK reads AWS_ENDPOINT_URL.
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';

const [table = '', name = ''] = process.argv.slice(2);
const { Items } = await new DynamoDBClient({}).send(
  new QueryCommand({
    TableName: table,
    KeyConditionExpression: '#name = :name',
    ExpressionAttributeNames: { '#name': 'name' },
    ExpressionAttributeValues: { ':name': { S: name } },
    ScanIndexForward: false,
    Limit: 1,
    ConsistentRead: true,
  }),
);
const wrappedKey = Items?.[0]?.['key']?.S;
if (wrappedKey === undefined) {
  throw new Error(`${name} not found in ${table}`);
}
const { Plaintext } = await new KMSClient({}).send(new DecryptCommand({ CiphertextBlob: Buffer.from(wrappedKey, 'base64') }));
process.stdout.write(`${String(Plaintext?.length)}\n`);
