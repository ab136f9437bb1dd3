import type { Credstash } from '../store/credstash.js';
import { loadHookConfig, type HookConfig, type NginxHookConfig } from './config.js';
import { HookConfigError } from './errors.js';
import { reloadWithPasswordFile, removePasswordFile, writePasswordFile } from './nginx-file.js';
import { feedPasswordPipe, PIPE_REUSE_WINDOW } from './nginx-pipe.js';
import { checkPassphrase, NGINX_MAX_PASSPHRASE_BYTES, readSecretsWithin } from './passphrase.js';
import { Redacted } from './redacted.js';
import { describeHookError, HookReporter, type ReportFallback } from './report.js';
import { createHookCredstash } from './store.js';

/** Commands of the nginx hook. */
export const NGINX_HOOK_COMMANDS = ['write', 'remove', 'reload', 'feed'] as const;
export type NginxHookCommand = (typeof NGINX_HOOK_COMMANDS)[number];

/** Outcome of a hook step. Failures are already reported to the configured log. */
export type HookStepResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Options of {@link runNginxHook}. */
export interface NginxHookOptions {
  /** Absolute path of the hook config file. */
  readonly configPath: string;
  readonly command: string | undefined;
  /** Arguments after the command: `--no-wait` for remove, `-- PROGRAM ARGS...` for reload. */
  readonly args?: readonly string[];
  /** Stops the `feed` command, also in the middle of a read; required for it. */
  readonly signal?: AbortSignal;
  /** Program name in reports. @default "credstash-nginx-passphrase" */
  readonly tag?: string;
  /**
   * Receives each report that a configured destination (log file, syslog) failed to take,
   * such as standard error. The failure that the result's message carries is not passed.
   */
  readonly fallback?: ReportFallback;
}

/**
 * Runs one command of the nginx hook, for `ssl_password_file`:
 *
 * - `write` reads the passphrases and writes them, one per line, to `nginx.passwordFile`
 *   (mode 0600), before nginx starts or tests its configuration.
 * - `remove` waits for nginx's pid file, which nginx writes once its keys are loaded, and
 *   deletes the password file; `remove --no-wait` deletes it at once.
 * - `reload -- PROGRAM ARGS...` writes the file, runs the reload program, waits until
 *   nginx has started new workers and deletes the file.
 * - `feed` serves the passphrases through a named pipe at `nginx.passwordFile` until
 *   `signal` aborts. Each burst of opens (less than 2 s apart) is served from one fresh
 *   read, and a read still pending when `signal` aborts is given up at once.
 *
 * Every read of the secrets finishes within the config's `timeout`, and so does each whole
 * command except `feed`. It never prints, and returns the outcome instead of throwing.
 *
 * @example
 * ```ts
 * const [configPath, command, ...args] = process.argv.slice(2);
 * const result = await runNginxHook({ configPath, command, args });
 * process.exitCode = result.ok ? 0 : 1;
 * ```
 */
export async function runNginxHook(options: NginxHookOptions): Promise<HookStepResult> {
  const tag = options.tag ?? 'credstash-nginx-passphrase';
  const args = options.args ?? [];
  const command = NGINX_HOOK_COMMANDS.find((name) => name === options.command);

  let config: HookConfig;
  try {
    config = await loadHookConfig(options.configPath);
  } catch (error) {
    return fail(new HookReporter({ file: undefined, syslog: true, syslogSocket: undefined }, tag, options.fallback), `cannot run "${String(options.command)}": ${describeHookError(error)}`);
  }
  const reporter = new HookReporter(config.log, tag, options.fallback);

  if (command === undefined) {
    return fail(reporter, `unknown command ${JSON.stringify(options.command ?? '')}: use one of ${NGINX_HOOK_COMMANDS.join(', ')}.`);
  }
  if (config.nginx === undefined) {
    const error = new HookConfigError(config.path, 'nginx', 'missing "nginx": set at least {"passwordFile": "/run/credstash-nginx/passphrases"}.');
    return fail(reporter, `cannot run "${command}": ${error.message}`);
  }

  try {
    return await runCommand(command, args, config, config.nginx, reporter, options.signal);
  } catch (error) {
    return fail(reporter, `"${command}" failed for ${describeSecrets(config.nginx)}: ${describeHookError(error)}`);
  }
}

async function runCommand(
  command: NginxHookCommand,
  args: readonly string[],
  config: HookConfig,
  nginx: NginxHookConfig,
  reporter: HookReporter,
  signal: AbortSignal | undefined,
): Promise<HookStepResult> {
  // The signal of "feed" also ends a KMS or DynamoDB request that is pending when it fires.
  const credstash = createHookCredstash(config, signal === undefined ? {} : { abortSignal: signal });
  const secrets = describeSecrets(nginx);

  switch (command) {
    case 'write': {
      await writePasswordFile(nginx, config, await readPasswordLines(credstash, config, nginx, config.timeout));
      await reporter.report('info', `wrote the passphrases of ${secrets} to ${nginx.passwordFile}`);
      return { ok: true };
    }
    case 'remove': {
      const started = await removePasswordFile(nginx, config, !args.includes('--no-wait'));
      if (!started) {
        return fail(reporter, `nginx wrote no pid file ${String(nginx.pidFile)} within ${config.timeout / 1000} s, so it did not start; removed ${nginx.passwordFile} anyway. See nginx's error log.`);
      }
      await reporter.report('info', `removed ${nginx.passwordFile}`);
      return { ok: true };
    }
    case 'reload': {
      const start = Date.now();
      const separator = args.indexOf('--');
      const program = separator === -1 ? [] : args.slice(separator + 1);
      const content = await readPasswordLines(credstash, config, nginx, config.timeout);
      await reloadWithPasswordFile(nginx, config, content, program, Math.max(0, config.timeout - (Date.now() - start)));
      await reporter.report('info', `reloaded nginx with the passphrases of ${secrets}; removed ${nginx.passwordFile}`);
      return { ok: true };
    }
    case 'feed': {
      if (signal === undefined) {
        throw new TypeError('runNginxHook: the "feed" command needs options.signal to stop.');
      }
      const path = nginx.passwordFile;
      const stop = await feedPasswordPipe(nginx, config, {
        onReady: async () => void (await reporter.report('info', `feeding the passphrases of ${secrets} through the named pipe ${path}`)),
        readContent: (readSignal) => readPasswordLines(credstash, config, nginx, config.timeout, readSignal),
        onDelivered: async (reusedAge) => {
          const reuse = reusedAge === undefined ? '' : `, reusing the read of ${formatSeconds(reusedAge)} s ago`;
          await reporter.report('info', `delivered the passphrases of ${secrets} through ${path}${reuse}`);
        },
        onReadFailed: async (error, reusedAge) => {
          const message =
            reusedAge === undefined
              ? `cannot read ${secrets}, so the reader of ${path} got no passphrase: ${describeHookError(error)}`
              : `the reader of ${path} got no passphrase, because reading ${secrets} failed ${formatSeconds(reusedAge)} s ago ` +
                `(opens less than ${PIPE_REUSE_WINDOW / 1000} s apart reuse one read): ${describeHookError(error)}`;
          await reporter.report('err', message);
        },
        onWriteFailed: async (error) => void (await reporter.report('warning', `the reader of ${path} left before the passphrases arrived: ${describeHookError(error)}`)),
      }, signal);
      const abandoned = stop.abandonedReader ? '; the reader that was waiting for passphrases got none' : '';
      await reporter.report('info', `stopped feeding ${path} and removed it${abandoned}`);
      return { ok: true };
    }
  }
}

async function readPasswordLines(credstash: Credstash, config: HookConfig, nginx: NginxHookConfig, timeout: number, signal?: AbortSignal): Promise<Redacted> {
  const passphrases = await readSecretsWithin(credstash, config, nginx.secrets, timeout, signal);
  passphrases.forEach((passphrase, index) => checkPassphrase(passphrase, nginx.secrets[index] as string, NGINX_MAX_PASSPHRASE_BYTES));
  return new Redacted(`${passphrases.join('\n')}\n`);
}

function formatSeconds(milliseconds: number): string {
  return (milliseconds / 1000).toFixed(1);
}

function describeSecrets(nginx: NginxHookConfig): string {
  return nginx.secrets.map((name) => `secret "${name}"`).join(', ');
}

async function fail(reporter: HookReporter, message: string): Promise<HookStepResult> {
  const outcome = await reporter.report('err', message, { fallback: false });
  const lost = outcome.failures.length === 0 ? '' : ` (reporting also failed: ${outcome.failures.join('; ')})`;
  return { ok: false, message: `${message}${lost}` };
}
