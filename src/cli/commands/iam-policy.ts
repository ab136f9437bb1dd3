import { checkAccount, checkRegion } from '../iam/arns.js';
import { buildIamPolicy, type IamPolicyOptions, type PolicyDocument } from '../iam/role-policy.js';
import { readSavedKmsRegion } from '../lib/kms-region-config.js';
import { resolveRegion } from '../lib/region.js';

/** Options of the `iam-policy` command; regions left undefined are resolved as for every other command. */
export interface IamPolicyCommandOptions extends Omit<IamPolicyOptions, 'region' | 'kmsRegion'> {
  readonly region: string | undefined;
  readonly kmsRegion: string | undefined;
  readonly profile: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/** The policy, and notes for standard error about what it cannot restrict. */
export interface IamPolicyResult {
  readonly policy: PolicyDocument;
  readonly notes: readonly string[];
}

/**
 * Builds the IAM policy of a role for the table and key that the other commands would use
 * with the same global options. Sends no request.
 */
export async function iamPolicyCommand(options: IamPolicyCommandOptions): Promise<IamPolicyResult> {
  const region = checkRegion(await resolveRegion(options.region, options.profile, options.env), '-r/--region');
  const kmsRegion = checkRegion(options.kmsRegion ?? (await readSavedKmsRegion()) ?? region, '--kms-region');
  const account = checkAccount(options.account);

  const policy = buildIamPolicy({ ...options, region, kmsRegion, account });

  const notes: string[] = [];
  if (options.role === 'reader' && options.names.length > 0 && options.scan && !options.bindName) {
    notes.push(
      '--name limits GetItem and Query, but Scan still returns the items of every name, and kms:Decrypt opens them. ' +
        'Add --bind-name for secrets stored with bindName, or --no-scan for a reader that only gets secrets by name.',
    );
  }
  return { policy, notes };
}
