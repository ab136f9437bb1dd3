#!/usr/bin/node
// Hands nginx its TLS key passphrases from credstash through ssl_password_file.
//
//   credstash-nginx-passphrase.mjs CONFIG write             write the file (mode 0600)
//   credstash-nginx-passphrase.mjs CONFIG remove [--no-wait] remove it once nginx started
//   credstash-nginx-passphrase.mjs CONFIG reload -- NGINX -s reload
//   credstash-nginx-passphrase.mjs CONFIG feed              serve a named pipe until SIGTERM
//
// Failures exit 1 with the reason on standard error and in the log file or syslog. A
// report that the log file or syslog did not take goes to standard error instead.
import { runNginxHook } from 'credstash-ts/hooks';

// On Node.js 20 the AWS SDK prints a NodeVersionSupportWarning of 9 lines on every run. The
// SDK is loaded at the first request, so setting this after the import is in time.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const [configPath = '', command, ...args] = process.argv.slice(2);

let signal;
if (command === 'feed') {
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  signal = controller.signal;
}

const result = await runNginxHook({ configPath, command, args, signal, fallback: (line) => process.stderr.write(line) });

// process.exit() also ends a request to a provider that is still open after a timeout or
// after SIGTERM stopped the feeder in the middle of a read.
if (result.ok) {
  process.exit(0);
} else {
  process.stderr.write(`${result.message}\n`, () => process.exit(1));
}
