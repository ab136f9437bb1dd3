// The parts of @aws-sdk/client-dynamodb that credstash-ts uses. The DynamoDB provider loads
// this module lazily instead of the package, so that a bundler (the CLI build) keeps only
// these commands and their schemas rather than every DynamoDB operation.
export {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TagResourceCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
