import { Argument, type Command } from 'commander';

import { DEFAULT_KMS_KEY } from '../../keys/kms-key-provider.js';
import { iamPolicyCommand } from '../commands/iam-policy.js';
import { IAM_ROLES, type IamRole } from '../iam/role-policy.js';
import { usageError } from '../lib/cli-error.js';
import { parsePairs } from '../lib/context-pairs.js';
import type { ProgramRuntime } from './program-runtime.js';

interface IamPolicyFlags {
  readonly key?: string;
  readonly account?: string;
  readonly name?: string[];
  readonly bindName?: boolean;
  readonly scan: boolean;
  readonly createKey?: boolean;
}

const ROLES_HELP = `
Roles and the commands they cover:
  reader   get, getall, keys, list, exec; the library's getSecret, getAllSecrets,
           listSecrets, getHighestVersion and loadEnvironment
  writer   put, putall, delete; putSecret, deleteSecret and deleteSecrets
  setup    setup (with --create-key: setup --create-key)

The policy is printed as JSON on standard output. docs/iam.md explains each statement.

Example:
  credstash-ts -r eu-west-1 iam-policy reader --account 111122223333 -k alias/credstash env=prod
`;

/** Adds `iam-policy`, which prints the least-privilege IAM policy of a role. */
export function addIamPolicyCommand(program: Command, runtime: ProgramRuntime): void {
  program
    .command('iam-policy')
    .description('print the least-privilege IAM policy of a role for the table and KMS key')
    .addArgument(new Argument('<role>', 'reader, writer or setup').choices(IAM_ROLES))
    .argument('[context...]', 'encryption context as KEY=VALUE pairs that every secret is stored with; a condition on KMS use')
    .option('--account <id>', 'AWS account id (12 digits) of the table and key; required')
    .option('-k, --key <key>', `KMS key id, key ARN, alias or alias ARN (default: ${DEFAULT_KMS_KEY})`)
    .option('--name <pattern>', 'only secrets whose names match, where * matches any run of characters; repeat for more', collect)
    .option('--bind-name', 'the secrets are stored with bindName, so KMS use is limited to the --name patterns too')
    .option('--no-scan', 'leave out dynamodb:Scan, for a reader that only gets secrets by name')
    .option('--create-key', 'with setup: add what setup --create-key needs on KMS')
    .addHelpText('after', ROLES_HELP)
    .action(async (role: IamRole, pairs: string[], flags: IamPolicyFlags) => {
      const context = parsePairs(pairs);
      const globals = runtime.globals();
      if (globals.backend.kind === 'offline') {
        throw usageError('the offline store uses no AWS permissions, so iam-policy has nothing to print. Leave out --offline and CREDSTASH_OFFLINE_DIR.');
      }
      if (flags.account === undefined) {
        throw usageError('iam-policy needs --account ID, the 12-digit AWS account of the table and key ("aws sts get-caller-identity" prints it).');
      }

      const { policy, notes } = await iamPolicyCommand({
        role,
        table: globals.table,
        region: globals.backend.region,
        kmsRegion: globals.backend.kmsRegion,
        profile: globals.backend.profile,
        account: flags.account,
        key: flags.key ?? DEFAULT_KMS_KEY,
        context,
        names: flags.name ?? [],
        bindName: flags.bindName === true,
        scan: flags.scan,
        createKey: flags.createKey === true,
        env: runtime.io.env,
      });

      for (const note of notes) {
        runtime.io.stderr.write(`credstash-ts: note: ${note}\n`);
      }
      runtime.write(`${JSON.stringify(policy, null, 2)}\n`);
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  if (value === '') {
    throw usageError('invalid --name "": pass a secret name or a pattern with *.');
  }
  return [...(previous ?? []), value];
}
