// Shared fast-check parameters. CI runs a fixed seed so a failure reproduces from the log; `npm run fuzz`
// sets FUZZ_RUNS (and optionally FUZZ_SEED) for a longer exploration. fast-check prints the seed and the
// shrunk counterexample of any failure, which is all that is needed to replay it with FUZZ_SEED.

const DEFAULT_SEED = 0x1e7a11;

function envInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got '${raw}'`);
  return value;
}

/** The seed every property test of the run starts from. */
export const FUZZ_SEED = envInteger('FUZZ_SEED') ?? DEFAULT_SEED;

/** Runs per property: FUZZ_RUNS when set (the long run), else the test's own CI-sized default. */
export function fuzzRuns(ciRuns: number): number {
  const runs = envInteger('FUZZ_RUNS');
  if (runs !== undefined && runs <= 0) throw new Error('FUZZ_RUNS must be positive');
  return runs ?? ciRuns;
}

/** `fc.assert` parameters: the shared seed and the run count. */
export function fuzzParameters(ciRuns: number): { seed: number; numRuns: number } {
  return { seed: FUZZ_SEED, numRuns: fuzzRuns(ciRuns) };
}

/** Whether this is the long run, so tests can lift their mocha timeouts. */
export const LONG_FUZZ = process.env.FUZZ_RUNS !== undefined;
