// One place to stop servers and browsers whichever way a script ends: normal return, error, Ctrl-C or SIGTERM.
const tasks = new Set();
let exiting = false;

/** Registers an async cleanup; returns a function that runs it once and unregisters it. */
export function onCleanup(task) {
  let done = false;
  const run = async () => {
    if (done) return;
    done = true;
    tasks.delete(run);
    await task();
  };
  tasks.add(run);
  return run;
}

export async function cleanupAll() {
  const pending = [...tasks].reverse();
  for (const task of pending) {
    try {
      await task();
    } catch (error) {
      console.error(`cleanup failed: ${error?.message ?? error}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (exiting) return;
    exiting = true;
    console.error(`\nReceived ${signal}, stopping…`);
    cleanupAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}
