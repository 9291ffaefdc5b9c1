// Entry points for checking safety cases: the gsn2x-compatible pipeline over files (CLI, conformance)
// and the workspace checker the index uses (gsn2x's checks per safety case plus our evidence checks).
import type { CoreDiagnostic, Span } from '../model';
import { compareCodePoints, evidenceStatus, fileKey, resolveUsesPath } from './graph';
import type { EvidenceResolver } from './graph';
import { Gsn2xValidator, formatGsn2x, gsn2xSummary } from './gsn2x';
import type { Gsn2xDiagnostic, Gsn2xOptions } from './gsn2x';
import { parseMarkdownSafetyCase } from './markdown';
import type { GsnModule } from './types';
import { PARSE_CODE, parseGsnYaml } from './yaml';

export type SafetyCaseOptions = Gsn2xOptions;

export interface SafetyCaseContext {
  /** Looks a citation key up; `status` comes from the user's paper note (`retracted`, `contested`, …). */
  resolve: EvidenceResolver;
  options?: SafetyCaseOptions;
}

export interface Gsn2xFile {
  uri: string;
  text: string;
}

export interface ValidateGsn2xOptions extends Gsn2xOptions {
  /** Reads a file named in `module.uses`; undefined (or a throw) when it cannot be read. */
  readFile?: (uri: string) => string | undefined;
}

export interface Gsn2xValidation {
  diagnostics: (Gsn2xDiagnostic & { uri?: string })[];
  errors: number;
  warnings: number;
  /** The input was rejected while reading: nothing else was checked. */
  parseError: boolean;
  /** The outcome was "No input elements are found.". */
  noElements: boolean;
  /** gsn2x's stderr lines, summary last. */
  messages: string[];
  /** Modules in load order (command line first, then `uses` round by round). */
  modules: GsnModule[];
}

const MARKDOWN_FILE = /\.(?:md|markdown|qmd)$/i;

/** Parses a safety-case file by its name: Markdown convention for `.md`, gsn2x YAML otherwise. */
export function parseSafetyCase(uri: string, text: string): { module: GsnModule | undefined; diagnostics: CoreDiagnostic[] } {
  const result = MARKDOWN_FILE.test(uri) ? parseMarkdownSafetyCase(text, uri) : parseGsnYaml(text, uri);
  return { module: result.value, diagnostics: result.diagnostics };
}

/** gsn2x aborts on a file it cannot read or parse: one error, no checks, no summary line. */
function rejected(uri: string, message: string, messages: string[], span?: Span): Gsn2xValidation {
  const diagnostic = { span: span ?? { start: 0, end: 0 }, severity: 'error' as const, code: PARSE_CODE, message, locations: [], uri };
  return { diagnostics: [diagnostic], errors: 1, warnings: 0, parseError: true, noElements: false, messages, modules: [] };
}

/**
 * Validates files exactly as `gsn2x <files>` would: reads them (and the files their `module.uses` name,
 * round by round), then runs gsn2x's checks with its stop rules. Messages are gsn2x's stderr lines.
 */
export function validateGsn2x(files: readonly Gsn2xFile[], options: ValidateGsn2xOptions = {}): Gsn2xValidation {
  const validator = new Gsn2xValidator(options);
  const modules: GsnModule[] = [];
  let round: { uri: string; text?: string }[] = files.map((f) => ({ uri: f.uri, text: f.text }));
  let commandLine = true;
  let stopped = false;
  while (round.length > 0 && !stopped) {
    const next: { uri: string }[] = [];
    for (const input of round) {
      let text = input.text;
      if (text === undefined) {
        try {
          text = options.readFile?.(input.uri);
        } catch {
          text = undefined;
        }
      }
      if (text === undefined) {
        const reason = `Failed to open file ${input.uri}`;
        return rejected(input.uri, reason, [`Error: ${reason}`]);
      }
      const { module, diagnostics } = parseSafetyCase(input.uri, text);
      const failure = diagnostics.find((d) => d.code === PARSE_CODE);
      if (!module || failure) {
        const cause = failure?.message ?? 'not a safety case';
        const head = `Failed to parse YAML from file ${input.uri}`;
        return rejected(input.uri, `${head}: ${cause}`, [`Error: ${head}`, `Caused by: ${cause}`], failure?.span);
      }
      if (!validator.load(module, commandLine)) {
        stopped = true;
        break;
      }
      modules.push(module);
      for (const used of module.uses) next.push({ uri: resolveUsesPath(input.uri, used.id) });
    }
    round = next;
    commandLine = false;
  }
  const noElements = stopped ? false : validator.validate().noElements;
  const diagnostics = validator.findings.map((d) => (d.locations[0] ? { ...d, uri: d.locations[0].uri } : d));
  const errors = validator.errors;
  const warnings = validator.warnings;
  const messages = diagnostics.map((d) => formatGsn2x(d.module, d));
  const summary = gsn2xSummary(errors, warnings);
  if (summary) messages.push(summary);
  return { diagnostics, errors, warnings, parseError: false, noElements, messages, modules };
}

/**
 * The safety cases in a set of modules, as gsn2x invocations: each module no other module uses is a
 * top-level file, loaded with everything it uses (round by round) and the modules its `extends` name.
 * Modules caught in a `uses` loop with no outside user start a case of their own.
 */
function safetyCaseGroups(modules: readonly GsnModule[]): { members: GsnModule[]; missing: { module: GsnModule; ref: GsnModule['uses'][number] }[] }[] {
  const byUri = new Map<string, GsnModule>();
  for (const m of modules) if (!byUri.has(fileKey(m.uri))) byUri.set(fileKey(m.uri), m);
  const byName = new Map<string, GsnModule>();
  for (const m of byUri.values()) if (!byName.has(m.name)) byName.set(m.name, m);
  const used = new Set<string>();
  for (const m of byUri.values()) for (const u of m.uses) used.add(fileKey(resolveUsesPath(m.uri, u.id)));
  const ordered = [...byUri.values()].sort((a, b) => compareCodePoints(a.uri, b.uri));
  const covered = new Set<string>();
  const groups: { members: GsnModule[]; missing: { module: GsnModule; ref: GsnModule['uses'][number] }[] }[] = [];
  const build = (root: GsnModule) => {
    const members: GsnModule[] = [];
    const missing: { module: GsnModule; ref: GsnModule['uses'][number] }[] = [];
    const inGroup = new Set<string>();
    let round = [root];
    while (round.length > 0) {
      const next: GsnModule[] = [];
      for (const m of round) {
        members.push(m);
        covered.add(m.uri);
        // A module loaded twice is C06, as with gsn2x; stop expanding it so `uses` loops terminate.
        if (inGroup.has(m.uri)) continue;
        inGroup.add(m.uri);
        for (const u of m.uses) {
          const target = byUri.get(fileKey(resolveUsesPath(m.uri, u.id)));
          if (target) next.push(target);
          else missing.push({ module: m, ref: u });
        }
      }
      round = next;
    }
    const names = new Set(members.map((m) => m.name));
    for (let i = 0; i < members.length; i++) {
      for (const ext of members[i].extends) {
        const target = byName.get(ext.module);
        if (target && !names.has(ext.module)) {
          names.add(ext.module);
          members.push(target);
          covered.add(target.uri);
        }
      }
    }
    groups.push({ members, missing });
  };
  for (const m of ordered) if (!used.has(fileKey(m.uri))) build(m);
  for (const m of ordered) if (!covered.has(m.uri)) build(m);
  return groups;
}

/**
 * Checks every safety case in the workspace: gsn2x's checks (codes `gsn-V01` … `gsn-C16`) per case, with
 * gsn2x's stop rules, plus our evidence checks on every element. Every module's uri has an entry.
 */
export function checkSafetyCases(modules: readonly GsnModule[], ctx: SafetyCaseContext): Map<string, CoreDiagnostic[]> {
  const out = new Map<string, CoreDiagnostic[]>();
  const seen = new Map<string, Set<string>>();
  // Messages can be long (C01/C08 list every element); keys use a number per distinct message instead.
  const messageIds = new Map<string, number>();
  const push = (uri: string, d: CoreDiagnostic) => {
    let keys = seen.get(uri);
    if (!keys) seen.set(uri, (keys = new Set()));
    let messageId = messageIds.get(d.message);
    if (messageId === undefined) messageIds.set(d.message, (messageId = messageIds.size));
    const key = `${d.span.start}:${d.span.end}:${d.code}:${messageId}`;
    if (keys.has(key)) return;
    keys.add(key);
    const list = out.get(uri);
    if (list) list.push(d);
    else out.set(uri, [d]);
  };
  for (const m of modules) if (!out.has(m.uri)) out.set(m.uri, []);

  for (const group of safetyCaseGroups(modules)) {
    const root = group.members[0];
    for (const { module, ref } of group.missing) {
      push(module.uri, { span: ref.span, severity: 'error', code: 'gsn-uses', message: `Used file ${ref.id} is not a safety case in the workspace.` });
    }
    const validator = new Gsn2xValidator(ctx.options);
    let loaded = true;
    group.members.forEach((m, i) => {
      if (loaded) loaded = validator.load(m, i === 0);
    });
    if (loaded) validator.validate();
    for (const finding of validator.findings) {
      const { locations, module: _module, ...diagnostic } = finding;
      if (locations.length === 0) push(root.uri, { ...diagnostic, span: { start: 0, end: 0 } });
      for (const loc of locations) push(loc.uri, { ...diagnostic, span: loc.span });
    }
  }

  const isUndeveloped = undevelopedLookup(modules);
  for (const m of modules) for (const d of evidenceFindings(m, ctx.resolve, isUndeveloped)) push(m.uri, d);
  return out;
}

/** Which elements are undeveloped in effect: marked `undeveloped` and not developed by an `extends`. */
type UndevelopedLookup = (module: GsnModule, id: string) => boolean | undefined;

function undevelopedLookup(modules: readonly GsnModule[]): UndevelopedLookup {
  const developed = new Set<string>();
  for (const m of modules) for (const ext of m.extends) for (const id of Object.keys(ext.develops)) developed.add(`${ext.module}\u0000${id}`);
  const own = new Map<GsnModule, Map<string, boolean>>();
  const anywhere = new Map<string, boolean>();
  for (const m of modules) {
    const local = new Map<string, boolean>();
    for (const e of m.elements) {
      const value = e.undeveloped && !developed.has(`${m.name}\u0000${e.id}`);
      if (!local.has(e.id)) local.set(e.id, value);
      if (!anywhere.has(e.id)) anywhere.set(e.id, value);
    }
    own.set(m, local);
  }
  // Ids are looked up in the element's own module first: unrelated safety cases may reuse ids.
  return (module, id) => own.get(module)?.get(id) ?? anywhere.get(id);
}

/** Our checks on the evidence side of an argument; never part of the gsn2x comparison. */
export function evidenceChecks(module: GsnModule, modules: readonly GsnModule[], resolve: EvidenceResolver): CoreDiagnostic[] {
  return evidenceFindings(module, resolve, undevelopedLookup(modules));
}

function evidenceFindings(module: GsnModule, resolve: EvidenceResolver, isUndeveloped: UndevelopedLookup): CoreDiagnostic[] {
  const out: CoreDiagnostic[] = [];
  for (const element of module.elements) {
    const status = evidenceStatus(element, resolve);
    for (const item of status.items) {
      const { key, keySpan } = item.citation;
      if (item.state === 'unresolved') {
        out.push({
          span: keySpan,
          severity: 'warning',
          code: 'safety-unresolved-evidence',
          message: `${element.id} cites ${key}, which is in no bibliography, note or the corpus.`,
        });
      } else if (item.state === 'retracted' || item.state === 'contested') {
        out.push({
          span: keySpan,
          severity: item.state === 'retracted' ? 'error' : 'warning',
          code: 'safety-contested-evidence',
          message: `${element.id} relies on ${key}, which your note marks as ${item.status ?? item.state}.`,
        });
      }
    }
    if (element.type === 'Solution' && !status.hasEvidence) {
      out.push({
        span: element.idSpan,
        severity: 'warning',
        code: 'safety-solution-without-evidence',
        message: `Solution ${element.id} points at no evidence: cite a paper ([@key] or cites:) or give a url.`,
      });
    }
    if (element.type === 'Goal' && element.supportedBy.length > 0) {
      const supporters = element.supportedBy.map((r) => isUndeveloped(module, r.id));
      if (supporters.every((u) => u === true)) {
        out.push({
          span: element.idSpan,
          severity: 'warning',
          code: 'safety-undeveloped-support',
          message: `Goal ${element.id} is supported only by undeveloped elements (${element.supportedBy.map((r) => r.id).join(', ')}).`,
        });
      }
    }
  }
  return out;
}
