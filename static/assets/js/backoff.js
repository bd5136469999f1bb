// Palabre — retry delays shared by the live streams and the API calls.
//
// "Full jitter" (delay drawn uniformly between 0 and the exponential ceiling)
// rather than a fixed or half-jittered delay: when a worker restarts, every
// browser it served loses its stream at the same instant, and only a delay
// spread over the whole interval keeps them from coming back in one wave.
// The small floor keeps a page from retrying in a tight loop when the random
// draw is close to 0.

/**
 * Delay in ms before retry number `attempt` (0 for the first retry):
 * random(0, min(max, base * 2^attempt)), at least `floor`.
 */
export function fullJitter(attempt, { base = 1000, max = 30000, floor = 250 } = {}) {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.max(floor, Math.round(Math.random() * ceiling));
}
