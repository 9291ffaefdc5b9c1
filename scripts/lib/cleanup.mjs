// One place to stop servers and browsers whichever way a script ends: normal return, error, Ctrl-C or SIGTERM.
const tasks = new Set();
let shuttingDown = false;
// Test runners report an interrupted run as failed (130); `npm start` treats Ctrl-C as the normal way to stop.
let signalExitCode;

export function exitCleanlyOnSignal() {
  signalExitCode = 0;
}

/** True once a signal started the shutdown: a server exiting then is expected, not a failure. */
export function isShuttingDown() {
  return shuttingDown;
}

/**
 * Registers an async cleanup; returns a function that runs it (once; later calls share the first run's promise).
 * A task stays registered until it finishes, so cleanupAll() also waits for cleanups already under way.
 */
export function onCleanup(task) {
  let running;
  const run = () => {
    running ??= (async () => {
      try {
        await task();
      } finally {
        tasks.delete(run);
      }
    })();
    return running;
  };
  tasks.add(run);
  return run;
}

export async function cleanupAll() {
  for (const run of [...tasks].reverse()) {
    try {
      await run();
    } catch (error) {
      console.error(`cleanup failed: ${error?.message ?? error}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.error(`\nReceived ${signal}, stopping…`);
    cleanupAll().finally(() => process.exit(signalExitCode ?? (signal === 'SIGINT' ? 130 : 143)));
  });
}
