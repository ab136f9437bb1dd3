// Entry point of `credstash-ts/hooks`: what the passphrase hooks for Apache httpd and
// nginx share, so that the example hooks stay a few lines long.
export {
  loadHookConfig,
  parseHookConfig,
  DEFAULT_HOOK_TIMEOUT_SECONDS,
  MAX_HOOK_TIMEOUT_SECONDS,
  type HookConfig,
  type HookCredentialsConfig,
  type HookLogConfig,
  type HookStoreConfig,
  type NginxHookConfig,
} from './config.js';
export { HookConfigError, HookTimeoutError, InvalidPassphraseError } from './errors.js';
export { APACHE_MAX_PASSPHRASE_BYTES, NGINX_MAX_PASSPHRASE_BYTES, checkPassphrase, readSecretsWithin, withTimeout } from './passphrase.js';
export { HookReporter, DEFAULT_SYSLOG_SOCKET, LOGGER_PATH, REPORT_TIMEOUT, describeHookError, type ReportFallback, type ReportLevel, type ReportOutcome } from './report.js';
export { createHookCredstash, HOOK_CONNECTION_TIMEOUT } from './store.js';
export { Redacted } from './redacted.js';
export { runApacheHook, type ApacheHookOptions, type ApacheHookResult } from './apache.js';
export { runNginxHook, NGINX_HOOK_COMMANDS, type HookStepResult, type NginxHookCommand, type NginxHookOptions } from './nginx.js';
