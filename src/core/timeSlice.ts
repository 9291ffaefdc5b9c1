// Cooperative time slicing on the extension host's one thread: long loops over the index yield to the event loop
// every few milliseconds, so timers, messages from the editor (hover, completion) and other extensions keep going.

/**
 * Resolves once the event loop has gone round. An immediate queued from an I/O callback runs in the same turn,
 * before any timer or further I/O; one queued from inside an immediate waits for the next turn. Two in a row
 * therefore always let timers and I/O through, wherever the caller runs.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** Measures a slice of synchronous work; `pause` yields and starts the next slice. */
export class TimeSlicer {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs: number) {}

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
