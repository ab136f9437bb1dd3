#!/usr/bin/node
// Hands nginx its TLS key passphrases from credstash through ssl_password_file.
//
//   credstash-nginx-passphrase.mjs CONFIG write             write the file (mode 0600)
//   credstash-nginx-passphrase.mjs CONFIG remove [--no-wait] remove it once nginx started
//   credstash-nginx-passphrase.mjs CONFIG reload -- NGINX -s reload
//   credstash-nginx-passphrase.mjs CONFIG feed              serve a named pipe until SIGTERM
//
// Failures exit 1 with the reason on standard error and in the log file or syslog.
import { runNginxHook } from 'credstash-ts/hooks';

const [configPath = '', command, ...args] = process.argv.slice(2);

let signal;
if (command === 'feed') {
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  signal = controller.signal;
}

const result = await runNginxHook({ configPath, command, args, signal });

// process.exit() also ends a request to a provider that is still open after a timeout.
if (result.ok) {
  process.exit(0);
} else {
  process.stderr.write(`${result.message}\n`, () => process.exit(1));
}
