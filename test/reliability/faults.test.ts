import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CredstashError, GetAllSecretsError, type Credstash, type SecretSummary } from '../../src/index.js';
import { credstashAt } from '../support/aws-clients.js';
import { FAULT_KINDS, FaultProxy } from '../support/fault-proxy.js';
import { recordFigure } from '../support/figures.js';
import { createMotoCredstash, motoEndpoint } from '../support/moto.js';

// Every request through the proxy gets one of the seven fault kinds with this probability.
const FAULT_RATE = 0.2;
// Above the request timeout below, so a delay fault is a client-side timeout and a retry,
// while the held request still reaches moto late.
const DELAY_MS = 1_500;
const CLIENT = { maxAttempts: 4, requestTimeout: 1_000, connectionTimeout: 1_000 };
const NAMES = Array.from({ length: 8 }, (_, index) => `faults/secret-${index}`);
const PUTS_PER_NAME = 8;
const WORKERS = 8;

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

interface Tally {
  succeeded: number;
  typedFailures: number;
  // Error code of each typed failure, with how often it occurred.
  codes: Map<string, number>;
  untypedFailures: string[];
}

const tallies = new Map<string, Tally>();

/** Runs one operation and tallies it as a success, a typed failure or an untyped failure. */
async function attempt<T>(operation: string, run: () => Promise<T>): Promise<Outcome<T>> {
  const tally: Tally = tallies.get(operation) ?? { succeeded: 0, typedFailures: 0, codes: new Map(), untypedFailures: [] };
  tallies.set(operation, tally);
  try {
    const value = await run();
    tally.succeeded += 1;
    return { ok: true, value };
  } catch (error) {
    if (error instanceof CredstashError) {
      tally.typedFailures += 1;
      tally.codes.set(error.code, (tally.codes.get(error.code) ?? 0) + 1);
    } else {
      tally.untypedFailures.push(String(error));
    }
    return { ok: false, error };
  }
}

async function runPool<T>(items: readonly T[], workers: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        await work(item);
      }
    }),
  );
}

const endpoint = motoEndpoint();
if (endpoint === null) {
  console.warn('*** SKIPPING fault-injection tests: moto is not installed ***');
}

describe.skipIf(endpoint === null)(`operations under ${FAULT_RATE * 100}% injected faults`, () => {
  let proxy: FaultProxy;
  let direct: Credstash;
  let faulty: Credstash;
  // Every value each name was put with, whether or not the put reported success.
  const attempted = new Map<string, Set<string>>();
  // Name and padded version of every put that reported success, with its value.
  const stored = new Map<string, string>();

  beforeAll(async () => {
    const { credstash, table, alias } = await createMotoCredstash();
    direct = credstash;
    proxy = await FaultProxy.start(endpoint as string, { faultRate: FAULT_RATE, faultKinds: FAULT_KINDS, delayMs: DELAY_MS, seed: 20_240_601 });
    faulty = credstashAt(proxy.url, { table, alias }, CLIENT);
  });

  afterAll(async () => {
    const counts = proxy?.counts();
    await proxy?.close();
    if (counts === undefined) {
      return;
    }
    const requests = Object.values(counts.requests).reduce((sum, value) => sum + value, 0);
    recordFigure('faults', 'requests through the proxy', requests);
    recordFigure('faults', 'requests retried by the SDK', counts.retries);
    recordFigure('faults', 'faults injected', counts.totalFaults);
    for (const kind of FAULT_KINDS) {
      const perOperation = counts.faults[kind] ?? {};
      recordFigure('faults', `faults injected: ${kind}`, Object.values(perOperation).reduce((sum, value) => sum + value, 0));
    }
    for (const [operation, tally] of tallies) {
      recordFigure('faults', `${operation}: succeeded`, tally.succeeded);
      recordFigure('faults', `${operation}: failed with a typed error`, tally.typedFailures);
      recordFigure('faults', `${operation}: failed with an untyped error`, tally.untypedFailures.length);
      for (const [code, count] of tally.codes) {
        recordFigure('faults', `${operation}: failed with ${code}`, count);
      }
    }
  });

  it('puts and gets succeed or fail typed', { timeout: 240_000 }, async () => {
    // Every fourth put stores an explicit version under a name of its own, because an
    // explicit version on an autoversioned name would race the autoversion puts for it.
    const puts = NAMES.flatMap((name) =>
      Array.from({ length: PUTS_PER_NAME }, (_, index) =>
        index % 4 === 3 ? { name: `${name}/fixed`, value: `${name}/fixed#${index}`, explicit: index } : { name, value: `${name}#${index}`, explicit: undefined },
      ),
    );

    await runPool(puts, WORKERS, async ({ name, value, explicit }) => {
      attempted.set(name, (attempted.get(name) ?? new Set()).add(value));
      const options = explicit === undefined ? { autoVersion: true } : { version: explicit };
      const put = await attempt('putSecret', () => faulty.putSecret(name, value, options));
      if (put.ok) {
        stored.set(`${name} ${put.value.version}`, value);
      }

      const latest = await attempt('getSecret', () => faulty.getSecret(name));
      if (latest.ok) {
        expect(attempted.get(name)?.has(latest.value), `latest ${name} is a value that was put`).toBe(true);
      }
    });

    for (const [operation, tally] of tallies) {
      expect(tally.untypedFailures, `untyped failures of ${operation}`).toEqual([]);
    }
    // Each explicit version is put once, so a conflict could only be a put meeting its own
    // earlier attempt and not recognizing it.
    expect(tallies.get('putSecret')?.codes.get('ERR_VERSION_EXISTS')).toBeUndefined();
    // A put that reported success is stored whole under the version it returned.
    for (const [key, value] of stored) {
      const [name, version] = key.split(' ') as [string, string];
      expect(await direct.getSecret(name, { version })).toBe(value);
    }
    expect(stored.size).toBeGreaterThan(0);
  });

  it('no put leaves a half-written version', { timeout: 60_000 }, async () => {
    // Read without faults: every stored item opens (key, contents and HMAC belong
    // together) and contains one of the values that was put for its name.
    const everything = await direct.listSecrets();
    expect(everything.length).toBeGreaterThanOrEqual(stored.size);

    for (const { name, version } of everything) {
      const value = await direct.getSecret(name, { version });
      expect(attempted.get(name)?.has(value), `${name} ${version} holds a value that was put`).toBe(true);
    }
    recordFigure('faults', 'versions stored after the put phase', everything.length);
    recordFigure('faults', 'puts that reported success', stored.size);
  });

  it('getAllSecrets is whole or names its failures', { timeout: 120_000 }, async () => {
    const expected = await direct.getAllSecrets();
    let partialWithFailures = 0;

    for (let round = 0; round < 6; round += 1) {
      const all = await attempt('getAllSecrets', () => faulty.getAllSecrets());
      if (all.ok) {
        expect(all.value).toEqual(expected);
      } else if (all.error instanceof GetAllSecretsError) {
        expect(all.error.failures.length).toBeGreaterThan(0);
        for (const failure of all.error.failures) {
          expect(Object.keys(expected)).toContain(failure.name);
          expect(failure.error).toBeInstanceOf(CredstashError);
        }
      } else {
        expect(all.error).toBeInstanceOf(CredstashError);
      }

      const partial = await attempt('getAllSecrets (allowPartial)', () => faulty.getAllSecrets({ allowPartial: true }));
      if (partial.ok && partial.value.failures.length > 0) {
        partialWithFailures += 1;
      }
      if (partial.ok) {
        const failed = partial.value.failures.map((failure) => failure.name);
        const returned = Object.keys(partial.value.secrets);
        expect([...returned, ...failed].sort()).toEqual(Object.keys(expected).sort());
        for (const name of returned) {
          expect(partial.value.secrets[name]).toBe(expected[name]);
        }
      } else {
        expect(partial.error).toBeInstanceOf(CredstashError);
      }
    }
    recordFigure('faults', 'getAllSecrets (allowPartial): results that listed failed names', partialWithFailures);
  });

  it('listSecrets is whole or fails typed', { timeout: 60_000 }, async () => {
    const expected: SecretSummary[] = await direct.listSecrets();

    for (let round = 0; round < 8; round += 1) {
      const listed = await attempt('listSecrets', () => faulty.listSecrets());
      if (listed.ok) {
        expect(listed.value).toEqual(expected);
      } else {
        expect(listed.error).toBeInstanceOf(CredstashError);
      }
    }
  });

  it('deleteSecrets leaves only whole versions', { timeout: 120_000 }, async () => {
    const before = await direct.listSecrets();

    for (const name of NAMES.slice(0, 4)) {
      const versions = before.filter((item) => item.name === name).map((item) => item.version);
      const deleted = await attempt('deleteSecrets', () => faulty.deleteSecrets(name));
      const remaining = (await direct.listSecrets()).filter((item) => item.name === name).map((item) => item.version);

      if (deleted.ok) {
        expect(deleted.value).toEqual(versions);
        expect(remaining).toEqual([]);
      } else {
        expect(deleted.error).toBeInstanceOf(CredstashError);
        for (const version of remaining) {
          expect(versions).toContain(version);
          expect(attempted.get(name)?.has(await direct.getSecret(name, { version }))).toBe(true);
        }
      }
    }

    for (const [operation, tally] of tallies) {
      expect(tally.untypedFailures, `untyped failures of ${operation}`).toEqual([]);
    }
    expect(proxy.counts().totalFaults).toBeGreaterThan(0);
  });
});
