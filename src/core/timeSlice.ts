// Cooperative time slicing on one thread (the extension host's, or the CLI's): long loops over the index yield to
// the event loop every few milliseconds, so timers, messages from the editor (hover, completion) and other
// extensions keep going.

/** Longest stretch of synchronous work before yielding to the event loop. */
export const SLICE_MS = 5;

/**
 * Resolves once the event loop has gone round. An immediate queued from an I/O callback runs in the same turn,
 * before any timer or further I/O; one queued from inside an immediate waits for the next turn. Two in a row
 * therefore always let timers and I/O through, wherever the caller runs.
 */
export function yieldToEventLoop(): Promise<void> {
  // Runtimes without setImmediate (a browser) have no such turn: a timer is the next best thing there.
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(() => setImmediate(resolve)) : setTimeout(resolve, 0)));
}

/**
 * Calls `step(from, to)` over [0, length) in chunks of `chunk`, awaiting `yieldNow` whenever `sliceMs` have passed
 * since the last yield. For loops in parsers and analysis, which take their yield from the caller.
 */
export async function forEachChunkSliced(
  length: number,
  chunk: number,
  step: (from: number, to: number) => void,
  yieldNow: () => Promise<void>,
  sliceMs: number,
): Promise<void> {
  let sliceEnd = performance.now() + sliceMs;
  for (let from = 0; from < length; from += chunk) {
    step(from, Math.min(length, from + chunk));
    if (performance.now() >= sliceEnd) {
      await yieldNow();
      sliceEnd = performance.now() + sliceMs;
    }
  }
}

/** Measures a slice of synchronous work; `pause` yields and starts the next slice. */
export class TimeSlicer {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Whether this slice has used its time. */
  get over(): boolean {
    return performance.now() - this.sliceStart > this.sliceMs;
  }

  async pause(): Promise<void> {
    await yieldToEventLoop();
    this.sliceStart = performance.now();
  }

  /** Yields only when the slice is over; true when it did. */
  async pauseIfOver(): Promise<boolean> {
    if (!this.over) return false;
    await this.pause();
    return true;
  }
}
