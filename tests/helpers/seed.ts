import fc from 'fast-check';

/**
 * The one seed of a test file's randomness: PROOF_SEED when given, else drawn now. Importing this module
 * prints it (so a failing run can be replayed with `PROOF_SEED=<n>`) and makes it fast-check's global seed;
 * other random choices draw from `seededRandom()`. tests/unit/seeded-randomness.test.ts checks that every
 * test file using randomness imports it.
 */
function readSeed(): number {
  const given = process.env.PROOF_SEED;
  if (given === undefined || given === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`PROOF_SEED must be an integer, got ${given}`);
  return seed;
}

export const PROOF_SEED = readSeed();
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: PROOF_SEED });
console.log(`random seed ${PROOF_SEED} (replay: PROOF_SEED=${PROOF_SEED})`);

/** A deterministic generator in [0, 1) from the file's seed (mulberry32), for choices outside fast-check. */
export function seededRandom(seed = PROOF_SEED): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
