// Citations as numbers: seven per citation in a shared Int32Array, beside a list of keys and the rare extras.
// Ten thousand notes cite about 90,000 times; as objects (each with three spans) that is 360,000 heap objects
// and 18 MB that a cold build allocates and every young-generation collection copies. The Pandoc scanner writes
// this form directly, the index keeps it until something reads a document's citations, and the cache stores it.
import type { Citation, CitationMode, CitationScan, CitationSyntax, CrossRef } from '../model';
import { EMPTY_LIST, exactLength } from './citationText';

type Opt<T> = T | null;
/** A citation's prefix, locator, suffix and LaTeX command, by its position in the list. */
type Extra = [number, Opt<string>, Opt<string>, Opt<string>, Opt<string>];
/** Extras held in memory: the same five values per citation that has any, end to end in one list. */
type FlatExtras = readonly (number | Opt<string>)[];
const EXTRA_FIELDS = 5;

/** The cache's form: keys; then 7 small numbers per citation (offsets as deltas, for short JSON); then the extras. */
export type CitationsRow = [string[], number[], Extra[]];

// Per citation: key start, key end, start, end, group start, group end, group * 8 + syntax * 4 + mode.
const FIELDS = 7;
const SYNTAXES: CitationSyntax[] = ['pandoc', 'latex'];
const MODES: CitationMode[] = ['normal', 'suppress-author', 'in-text', 'nocite'];

// Small lists share slabs, the way Node's Buffer pool does: one off-heap allocation per 64K numbers instead of
// one per document. A slab lives while any document packed into it does.
const SLAB_LENGTH = 1 << 16;
let slab = new Int32Array(SLAB_LENGTH);
let slabUsed = 0;

/** `nums` copied into a slab: the slab, and where in it they start (a view per document would be one more object). */
function slabCopy(nums: readonly number[]): { slab: Int32Array; at: number } {
  if (nums.length > SLAB_LENGTH / 8) return { slab: Int32Array.from(nums), at: 0 };
  if (slabUsed + nums.length > SLAB_LENGTH) {
    slab = new Int32Array(SLAB_LENGTH);
    slabUsed = 0;
  }
  slab.set(nums, slabUsed);
  slabUsed += nums.length;
  return { slab, at: slabUsed - nums.length };
}

const NO_NUMBERS = new Int32Array(0);

function flagsOf(group: number, syntax: CitationSyntax, mode: CitationMode): number {
  return group * 8 + (syntax === 'latex' ? 4 : 0) + MODES.indexOf(mode);
}

export class PackedCitations {
  static readonly EMPTY = new PackedCitations(EMPTY_LIST, { slab: NO_NUMBERS, at: 0 }, EMPTY_LIST);
  private readonly nums: Int32Array;
  /** Where this list's numbers start in `nums`. */
  private readonly at: number;

  constructor(
    readonly keys: readonly string[],
    numbers: { slab: Int32Array; at: number },
    private readonly extras: FlatExtras,
  ) {
    this.nums = numbers.slab;
    this.at = numbers.at;
  }

  get length(): number {
    return this.keys.length;
  }

  /** Citation objects in the cache's form, in one pass (a document whose citations were unpacked). */
  static rowOf(citations: readonly Citation[]): CitationsRow {
    const keys: string[] = new Array(citations.length);
    const deltas: number[] = new Array(citations.length * FIELDS);
    const extras: Extra[] = [];
    let previous = 0;
    for (let i = 0, n = 0; i < citations.length; i++, n += FIELDS) {
      const c = citations[i];
      keys[i] = c.key;
      deltas[n] = c.keySpan.start - previous;
      deltas[n + 1] = c.keySpan.end - c.keySpan.start;
      deltas[n + 2] = c.keySpan.start - c.span.start;
      deltas[n + 3] = c.span.end - c.keySpan.end;
      deltas[n + 4] = c.span.start - c.groupSpan.start;
      deltas[n + 5] = c.groupSpan.end - c.span.end;
      deltas[n + 6] = flagsOf(c.group, c.syntax, c.mode);
      previous = c.keySpan.start;
      if (c.prefix !== undefined || c.locator !== undefined || c.suffix !== undefined || c.command !== undefined) {
        extras.push([i, c.prefix ?? null, c.locator ?? null, c.suffix ?? null, c.command ?? null]);
      }
    }
    return [keys, deltas, extras];
  }

  /** From the cache's form; throws when the row is malformed. */
  static fromRow([keys, deltas, extras]: CitationsRow): PackedCitations {
    const inOrder = (x: Extra, k: number) =>
      Array.isArray(x) && x.length === EXTRA_FIELDS && x[0] >= 0 && x[0] < keys.length && (k === 0 || x[0] > extras[k - 1][0]);
    if (!Array.isArray(keys) || !Array.isArray(deltas) || !Array.isArray(extras) || deltas.length !== keys.length * FIELDS || !extras.every(inOrder)) {
      throw new Error('malformed citations');
    }
    const nums: number[] = new Array(deltas.length);
    let previous = 0;
    for (let n = 0; n < deltas.length; n += FIELDS) {
      const ks = previous + deltas[n];
      const ke = ks + deltas[n + 1];
      const s = ks - deltas[n + 2];
      const e = ke + deltas[n + 3];
      nums[n] = ks;
      nums[n + 1] = ke;
      nums[n + 2] = s;
      nums[n + 3] = e;
      nums[n + 4] = s - deltas[n + 4];
      nums[n + 5] = e + deltas[n + 5];
      nums[n + 6] = deltas[n + 6];
      previous = ks;
    }
    return new PackedCitations(keys, slabCopy(nums), extras.flat());
  }

  toRow(): CitationsRow {
    const nums = this.nums;
    const deltas: number[] = new Array(this.keys.length * FIELDS);
    let previous = 0;
    for (let d = 0, n = this.at; d < deltas.length; d += FIELDS, n += FIELDS) {
      const ks = nums[n];
      const ke = nums[n + 1];
      const s = nums[n + 2];
      const e = nums[n + 3];
      deltas[d] = ks - previous;
      deltas[d + 1] = ke - ks;
      deltas[d + 2] = ks - s;
      deltas[d + 3] = e - ke;
      deltas[d + 4] = s - nums[n + 4];
      deltas[d + 5] = nums[n + 5] - e;
      deltas[d + 6] = nums[n + 6];
      previous = ks;
    }
    const extras: Extra[] = [];
    for (let x = 0; x < this.extras.length; x += EXTRA_FIELDS) extras.push(this.extras.slice(x, x + EXTRA_FIELDS) as Extra);
    return [this.keys as string[], deltas, extras];
  }

  /** The citations as objects; `from`/`to` unpack a range of them into `out`, for callers that work in slices. */
  unpack(from = 0, to = this.keys.length, out: Citation[] = new Array(this.keys.length)): Citation[] {
    const { keys, nums, extras } = this;
    for (let i = from, n = this.at + from * FIELDS; i < to; i++, n += FIELDS) {
      const flags = nums[n + 6];
      out[i] = {
        key: keys[i],
        keySpan: { start: nums[n], end: nums[n + 1] },
        span: { start: nums[n + 2], end: nums[n + 3] },
        syntax: SYNTAXES[(flags >> 2) & 1],
        mode: MODES[flags & 3],
        group: Math.floor(flags / 8),
        groupSpan: { start: nums[n + 4], end: nums[n + 5] },
      };
    }
    // Extras are in citation order: find the range's first, then take them while they fall inside it.
    let lo = 0;
    let hi = extras.length / EXTRA_FIELDS;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((extras[mid * EXTRA_FIELDS] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    for (let x = lo * EXTRA_FIELDS; x < extras.length && (extras[x] as number) < to; x += EXTRA_FIELDS) {
      const c = out[extras[x] as number];
      const prefix = extras[x + 1] as Opt<string>;
      const locator = extras[x + 2] as Opt<string>;
      const suffix = extras[x + 3] as Opt<string>;
      const command = extras[x + 4] as Opt<string>;
      if (prefix !== null) c.prefix = prefix;
      if (locator !== null) c.locator = locator;
      if (suffix !== null) c.suffix = suffix;
      if (command !== null) c.command = command;
    }
    return out;
  }
}

/** Collects citations as numbers; `finish` hands them over packed. */
export class CitationPacker {
  private readonly keys: string[] = [];
  private readonly nums: number[] = [];
  private readonly extras: (number | Opt<string>)[] = [];

  get length(): number {
    return this.keys.length;
  }

  add(
    key: string,
    keyStart: number,
    keyEnd: number,
    start: number,
    end: number,
    groupStart: number,
    groupEnd: number,
    group: number,
    syntax: CitationSyntax,
    mode: CitationMode,
    prefix?: string,
    locator?: string,
    suffix?: string,
    command?: string,
  ): void {
    const flags = flagsOf(group, syntax, mode);
    if (prefix !== undefined || locator !== undefined || suffix !== undefined || command !== undefined) {
      this.extras.push(this.keys.length, prefix ?? null, locator ?? null, suffix ?? null, command ?? null);
    }
    this.keys.push(key);
    this.nums.push(keyStart, keyEnd, start, end, groupStart, groupEnd, flags);
  }

  finish(): PackedCitations {
    if (this.keys.length === 0) return PackedCitations.EMPTY;
    return new PackedCitations(this.keys.slice(), slabCopy(this.nums), exactLength(this.extras));
  }
}

/** A scan's result whose citations are unpacked from `packed` on first read. */
export class PackedCitationScan implements CitationScan {
  #citations?: Citation[];

  constructor(
    readonly packed: PackedCitations,
    readonly crossRefs: CrossRef[],
  ) {}

  get citations(): Citation[] {
    return (this.#citations ??= this.packed.unpack());
  }
}
