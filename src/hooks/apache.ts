import { loadHookConfig, type HookConfig } from './config.js';
import { HookConfigError } from './errors.js';
import { APACHE_MAX_PASSPHRASE_BYTES, checkPassphrase, readSecretsWithin } from './passphrase.js';
import { Redacted } from './redacted.js';
import { describeHookError, HookReporter, type ReportFallback } from './report.js';
import { createHookCredstash } from './store.js';

/** Outcome of {@link runApacheHook}. Neither form throws or prints anything. */
export type ApacheHookResult =
  | {
      readonly ok: true;
      /** Text for standard output: the passphrase and one LF. */
      readonly output: Redacted;
      readonly secretName: string;
    }
  | {
      readonly ok: false;
      /** Reason for the failure, without the secret. It is already in the configured log. */
      readonly message: string;
    };

/** Options of {@link runApacheHook}. */
export interface ApacheHookOptions {
  /** Absolute path of the hook config file. */
  readonly configPath: string;
  /** First argument from Apache: `servername:port`. */
  readonly server: string | undefined;
  /** Second argument from Apache: the slot label (`RSA`, `DSA`, `ECC` or a number). */
  readonly label: string | undefined;
  /** Program name in reports. @default "credstash-apache-passphrase" */
  readonly tag?: string;
  /**
   * Receives each report that a configured destination (log file, syslog) failed to take,
   * such as standard error. The failure that the result's message carries is not passed.
   */
  readonly fallback?: ReportFallback;
}

/**
 * Runs one call of an `SSLPassPhraseDialog exec:` hook: reads the config, picks the secret
 * for Apache's `servername:port`, reads it within the config's `timeout`, checks that
 * Apache can use it, and reports the outcome to the configured log file or syslog. It
 * returns the text to print instead of printing it, and never reads standard input.
 *
 * @example
 * ```ts
 * const [configPath, server, label] = process.argv.slice(2);
 * const result = await runApacheHook({ configPath, server, label });
 * if (result.ok) process.stdout.write(result.output.reveal());
 * process.exitCode = result.ok ? 0 : 1;
 * ```
 */
export async function runApacheHook(options: ApacheHookOptions): Promise<ApacheHookResult> {
  const tag = options.tag ?? 'credstash-apache-passphrase';
  const request = `${options.server ?? '(no server)'} (${options.label ?? 'no label'})`;

  let config: HookConfig;
  try {
    config = await loadHookConfig(options.configPath);
  } catch (error) {
    // Without a config there is no log file to use, so the report goes to syslog, and the
    // returned message says so when that failed too.
    return fail(new HookReporter({ file: undefined, syslog: true, syslogSocket: undefined }, tag, options.fallback), `cannot return a passphrase to Apache for ${request}: ${describeHookError(error)}`);
  }
  const reporter = new HookReporter(config.log, tag, options.fallback);

  if (options.server === undefined || options.server === '') {
    return fail(reporter, 'missing arguments: Apache passes "servername:port" and a slot label. Run this hook through SSLPassPhraseDialog exec:, or give both by hand to test it.');
  }
  const secretName = config.servers[options.server] ?? config.secret;
  if (secretName === undefined) {
    const error = new HookConfigError(config.path, 'servers', `no secret for ${options.server}: add "${options.server}" to "servers", or set "secret" as the default.`);
    return fail(reporter, `cannot return a passphrase to Apache for ${request}: ${error.message}`);
  }

  let passphrase: string;
  try {
    [passphrase = ''] = await readSecretsWithin(createHookCredstash(config), config, [secretName]);
    checkPassphrase(passphrase, secretName, APACHE_MAX_PASSPHRASE_BYTES);
  } catch (error) {
    return fail(reporter, `cannot read the passphrase for ${request} from secret "${secretName}": ${describeHookError(error)}`);
  }

  await reporter.report('info', `passphrase for ${request} read from secret "${secretName}"`);
  return { ok: true, output: new Redacted(`${passphrase}\n`), secretName };
}

async function fail(reporter: HookReporter, message: string): Promise<ApacheHookResult> {
  const outcome = await reporter.report('err', message, { fallback: false });
  const lost = outcome.failures.length === 0 ? '' : ` (reporting also failed: ${outcome.failures.join('; ')})`;
  return { ok: false, message: `${message}${lost}` };
}
