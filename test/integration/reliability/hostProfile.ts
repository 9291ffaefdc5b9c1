// CPU profile of the extension host itself (INTERP_REVIEW_HOST_PROFILE=1): the reliability suite runs inside the
// host, so an in-process inspector session sees everything that blocks it (this extension, VS Code's own code,
// other extensions such as the built-in Markdown support, GC). Each recorded stall is explained by the samples
// taken while the timer could not fire.
import { writeFileSync } from 'node:fs';
import * as inspector from 'node:inspector';

/** A stretch during which the host's timer could not fire, on the monotonic clock the profiler stamps samples with. */
export interface StallWindow {
  fromUs: number;
  toUs: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds on the clock V8's profiler uses for its sample times (the monotonic clock of `process.hrtime`). */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

const SAMPLING_INTERVAL_US = 250;

export class HostProfiler {
  private constructor(
    private readonly session: inspector.Session,
    /** The URL of this extension's bundle as the profile names scripts (other extensions have a dist/extension.js too). */
    private readonly ourBundle: string,
  ) {}

  static async start(ourBundle: string): Promise<HostProfiler> {
    const session = new inspector.Session();
    session.connect();
    const profiler = new HostProfiler(session, ourBundle);
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await profiler.post('Profiler.start');
    return profiler;
  }

  /** Stops, writes the profile to `file`, and explains each stall window by what ran in it. */
  async stop(file: string, stalls: StallWindow[]): Promise<string[]> {
    const { profile } = (await this.post('Profiler.stop')) as { profile: CpuProfile };
    this.session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    return stalls.map((stall) => explainStall(profile, stall, this.ourBundle));
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) => this.session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  }
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const extension = /\/extensions\/([^/]+)\/(?:.*\/)?([^/]+)$/.exec(url);
  const file = extension ? `${extension[1]}/${extension[2]}` : url.replace(/^.*\/(out|dist)\//, '$1/');
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
}

/**
 * "N ms sampled: owner a ms, owner b ms | self: f ms, g ms". The owner of a sample is the innermost frame of this
 * extension's bundle on its stack (with the outermost, its entry point), else the outermost frame of another
 * extension, else its own top frame (VS Code's code, GC, idle).
 */
function explainStall(profile: CpuProfile, stall: StallWindow, ourBundle: string): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const owners = new Map<string, number>();
  const selfTime = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    // A sample's delta is the time since the previous one: the time this stack stood for.
    const next = profile.timeDeltas[i + 1] ?? 0;
    if (at < stall.fromUs || at > stall.toUs) continue;
    const leaf = byId.get(profile.samples[i])!;
    const weight = next / 1000;
    total += weight;
    selfTime.set(frameName(leaf), (selfTime.get(frameName(leaf)) ?? 0) + weight);
    let innermostOurs: string | undefined;
    let outermostOurs: string | undefined;
    let otherExtension: string | undefined;
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)!;
      if (node.callFrame.url === ourBundle) {
        innermostOurs ??= frameName(node);
        outermostOurs = frameName(node);
      } else if (node.callFrame.url.includes('/extensions/')) otherExtension = `extension: ${frameName(node)}`;
    }
    const ours = innermostOurs && `ours: ${innermostOurs}${outermostOurs !== innermostOurs ? ` < ${outermostOurs}` : ''}`;
    const owner = ours ?? otherExtension ?? frameName(leaf);
    owners.set(owner, (owners.get(owner) ?? 0) + weight);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(', ');
  return `${total.toFixed(0)} ms sampled: ${top(owners, 5)} | self: ${top(selfTime, 6)}`;
}
