// The parts of @aws-sdk/client-kms that credstash-ts uses. Code loads this module lazily
// instead of the package, so that a bundler (the CLI build) keeps only these commands and
// their schemas rather than every KMS operation.
export { CreateAliasCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, GenerateDataKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
