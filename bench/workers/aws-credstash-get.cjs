// Cold-process `get` with aws-credstash 3.0.1, which has no command of its own: the script
// a user would write. Prints the secret and a newline, as `credstash get` does.
'use strict';

const createCredstash = require('aws-credstash');

const [table, name] = process.argv.slice(2);
const endpoint = process.env.BENCH_ENDPOINT;
if (endpoint === undefined || !endpoint.startsWith('http://127.0.0.1:')) {
  throw new Error('BENCH_ENDPOINT must be a moto server or proxy on 127.0.0.1');
}

createCredstash({ table, awsOpts: { region: process.env.AWS_DEFAULT_REGION, endpoint } })
  .getSecret({ name })
  .then((secret) => process.stdout.write(`${secret}\n`))
  .catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
