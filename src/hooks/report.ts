import { spawn } from 'node:child_process';
import { appendFile, stat } from 'node:fs/promises';

import type { HookLogConfig } from './config.js';

/** Severity of a hook report, as syslog names it. */
export type ReportLevel = 'err' | 'warning' | 'info';

/** Absolute path of util-linux logger; hooks run with no PATH. */
export const LOGGER_PATH = '/usr/bin/logger';
/** Socket that logger sends to when the config names none. */
export const DEFAULT_SYSLOG_SOCKET = '/dev/log';
/** Maximum time a report may take to reach syslog, in milliseconds. */
export const REPORT_TIMEOUT = 2_000;
// Apache connects the hook's standard error to a pipe that no process reads, so a long
// write there could block the hook. Reports are cut well below the 64 KiB pipe buffer.
const MAX_REPORT_CHARACTERS = 2_000;

/** Destinations a report reached, and the reasons of those that failed. */
export interface ReportOutcome {
  readonly delivered: readonly ('file' | 'syslog')[];
  readonly failures: readonly string[];
}

/**
 * Receives a report that a configured destination failed to take, as one line of text
 * that ends with the reasons and a line feed. The example scripts write it to standard
 * error, which systemd keeps in the journal (Apache discards it).
 */
export type ReportFallback = (line: string) => void;

/**
 * Sends hook reports to the log file and to syslog that the config names. Reports must
 * never contain a secret: callers pass messages built from names and error messages of
 * this library, which name secrets but never contain them.
 *
 * @example
 * ```ts
 * const reporter = new HookReporter(config.log, 'credstash-apache-passphrase');
 * await reporter.report('err', 'secret "tls/www" not found');
 * ```
 */
export class HookReporter {
  readonly #log: HookLogConfig;
  readonly #tag: string;
  readonly #fallback: ReportFallback | undefined;

  /**
   * @param log - Destinations from the hook config.
   * @param tag - Program name shown in each report, such as `credstash-apache-passphrase`.
   * @param fallback - Receives each report that a destination failed to take.
   */
  constructor(log: HookLogConfig, tag: string, fallback?: ReportFallback) {
    this.#log = log;
    this.#tag = tag;
    this.#fallback = fallback;
  }

  /**
   * Delivers one report to every configured destination, within {@link REPORT_TIMEOUT}
   * each. It never throws: a destination that fails is listed in the outcome, and the
   * report goes to the fallback with the reasons, unless `options.fallback` is false
   * because the caller passes the failures on itself.
   */
  async report(level: ReportLevel, message: string, options: { readonly fallback?: boolean } = {}): Promise<ReportOutcome> {
    const text = shorten(message.replace(/[\r\n]+/g, ' '));
    const line = `${new Date().toISOString()} ${this.#tag}[${process.pid}] ${level}: ${text}`;
    const delivered: ('file' | 'syslog')[] = [];
    const failures: string[] = [];

    if (this.#log.file !== undefined) {
      try {
        await appendFile(this.#log.file, `${line}\n`, { mode: 0o600 });
        delivered.push('file');
      } catch (error) {
        failures.push(`cannot append to ${this.#log.file}: ${String(error)}`);
      }
    }
    if (this.#log.syslog) {
      const failure = await this.#sendToSyslog(level, text);
      if (failure === undefined) {
        delivered.push('syslog');
      } else {
        failures.push(failure);
      }
    }

    if (failures.length > 0 && options.fallback !== false) {
      this.#fallback?.(`${line} (written here because reporting failed: ${failures.join('; ')})\n`);
    }
    return { delivered, failures };
  }

  async #sendToSyslog(level: ReportLevel, text: string): Promise<string | undefined> {
    // logger exits 0 without sending anything when the socket is missing, unless
    // --socket-errors=on (util-linux 2.38), so the socket is checked first as well.
    const socket = this.#log.syslogSocket ?? DEFAULT_SYSLOG_SOCKET;
    const info = await stat(socket).catch(() => undefined);
    if (info === undefined || !info.isSocket()) {
      return `syslog socket ${socket} ${info === undefined ? 'does not exist' : 'is not a socket'}, so no syslog daemon or journald receives reports`;
    }

    const socketArgs = this.#log.syslogSocket === undefined ? [] : ['--socket', this.#log.syslogSocket];
    const args = ['--tag', this.#tag, `--id=${process.pid}`, '--priority', `daemon.${level}`, ...socketArgs, '--socket-errors=on', '--', text];
    return new Promise((resolve) => {
      const child = spawn(LOGGER_PATH, args, { stdio: 'ignore', timeout: REPORT_TIMEOUT, env: {} });
      child.once('error', (error) => resolve(`cannot run ${LOGGER_PATH}: ${error.message}`));
      child.once('close', (code, signal) => {
        if (code === 0) {
          resolve(undefined);
        } else {
          resolve(`${LOGGER_PATH} failed to send to ${socket} (${signal === null ? `exit status ${String(code)}` : `killed by ${signal}`})`);
        }
      });
    });
  }
}

function shorten(text: string): string {
  return text.length > MAX_REPORT_CHARACTERS ? `${text.slice(0, MAX_REPORT_CHARACTERS - 3)}...` : text;
}

/** Formats an error for a report: its message, and the code of a credstash error. */
export function describeHookError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.message} [${code}]` : error.message;
  }
  return String(error);
}
