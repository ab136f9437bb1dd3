/**
 * Shared parts of the benchmarks: alternating runs, statistics, and the result rows that
 * `bench/run.ts` prints and saves.
 */

/** The implementations compared, in column order. */
export const IMPLEMENTATIONS = ['credstash-ts', 'python', 'aws-credstash'] as const;
export type Implementation = (typeof IMPLEMENTATIONS)[number];

/** Median, minimum and maximum of a series of samples, with the sample count. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

/**
 * One measured row: per implementation a summary of the samples, or a note saying why it
 * has none (for example, an operation that aws-credstash does not have).
 */
export interface ResultRow {
  readonly family: string;
  readonly measurement: string;
  /** Unit of the samples, such as `ms`, `µs/op`, `MiB` or `requests`. */
  readonly unit: string;
  readonly results: Partial<Record<Implementation, Summary | string>>;
  /** Target from the performance issue, in words, such as `≤ 0.30× Python`. */
  readonly target?: string;
  /** Whether the target is met, when this row decides it. */
  readonly met?: boolean;
  readonly note?: string;
  /** False for rows where a ratio to Python means nothing, such as module counts. @default true */
  readonly compare?: boolean;
}

/** A measurement that one implementation runs once per call, returning one sample. */
export type Runner = () => Promise<number>;

/** Settings shared by every family. */
export interface BenchSettings {
  /** Timed runs per implementation and measurement. */
  readonly runs: number;
  /** Untimed runs per implementation before the timed ones, to fill the page cache. */
  readonly warmups: number;
  /** Prints progress lines on standard error. */
  readonly log: (line: string) => void;
}

/**
 * Runs each runner `settings.runs` times, alternating between them (A B C A B C ...) so that
 * drift in machine load affects every implementation alike, after `settings.warmups`
 * untimed rounds. Returns the summary per runner.
 */
export async function alternate<K extends string>(
  runners: Readonly<Partial<Record<K, Runner>>>,
  settings: BenchSettings,
  runs = settings.runs,
): Promise<Partial<Record<K, Summary>>> {
  const entries = Object.entries(runners) as [K, Runner][];
  const samples = new Map<K, number[]>(entries.map(([key]) => [key, []]));

  for (let round = 0; round < settings.warmups; round += 1) {
    for (const [, runner] of entries) {
      await runner();
    }
  }
  for (let round = 0; round < runs; round += 1) {
    for (const [key, runner] of entries) {
      samples.get(key)?.push(await runner());
    }
  }

  const summaries: Partial<Record<K, Summary>> = {};
  for (const [key, values] of samples) {
    summaries[key] = summarize(values);
  }
  return summaries;
}

/** Summarizes samples; the median of an even count is the mean of the middle two. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) {
    throw new RangeError('cannot summarize an empty series of samples');
  }
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, runs: sorted.length };
}

/** Wraps one exact value, such as a request count, as a summary. */
export function exact(value: number): Summary {
  return { median: value, min: value, max: value, runs: 1 };
}

/** Ratio of credstash-ts's median to Python's, or undefined when either is missing. */
export function ratioToPython(row: Pick<ResultRow, 'results' | 'compare'>): number | undefined {
  if (row.compare === false) {
    return undefined;
  }
  const ours = row.results['credstash-ts'];
  const python = row.results.python;
  if (typeof ours !== 'object' || typeof python !== 'object' || python.median === 0) {
    return undefined;
  }
  return ours.median / python.median;
}

/** Measures the wall time of an async call in milliseconds. */
export async function timeMs(call: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await call();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
