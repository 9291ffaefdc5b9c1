// gsn2x's validation, re-implemented from its documented behaviour: the same check ids and messages,
// severities, evaluation order and stop rules, so error and warning counts agree with the real tool.
// Every finding also carries where it applies (uri + span) for the editor.
import type { CoreDiagnostic, Span } from '../model';
import { compareCodePoints, typeFromId } from './graph';
import type { GsnElement, GsnElementType, GsnModule } from './types';

export interface Gsn2xOptions {
  /** `--extended-check`: V08 (nodeType contradicting the id prefix). */
  extendedCheck?: boolean;
  /** `--warn-dialectic`: V11 (counter elements are used). */
  warnDialectic?: boolean;
  /** `-x`: module names left out of the reference checks (C03, C11–C16). */
  excluded?: readonly string[];
  /** `-l`: layers; the layer check runs last. */
  layers?: readonly string[];
}

export interface Location {
  uri: string;
  span: Span;
}

/** A gsn2x finding: `message` is the text after `(module) `, e.g. `C04: Cycle detected at element G1. …`. */
export interface Gsn2xDiagnostic extends CoreDiagnostic {
  /** Printed in parentheses; absent for whole-graph findings (C01, C02, C04, C08, layers). */
  module?: string;
  /** Every place the finding applies to (one message, possibly many elements); may be empty. */
  locations: Location[];
}

/** One line of gsn2x's stderr: `Error: (module) ID: text` or `Warning: ID: text`. */
export function formatGsn2x(module: string | undefined, diagnostic: Pick<CoreDiagnostic, 'severity' | 'message'>): string {
  const head = diagnostic.severity === 'error' ? 'Error:' : 'Warning:';
  return module === undefined ? `${head} ${diagnostic.message}` : `${head} (${module}) ${diagnostic.message}`;
}

const WHOLE_GRAPH_CODES = new Set(['gsn-C01', 'gsn-C02', 'gsn-C04', 'gsn-C08', 'gsn-layer', 'gsn-no-elements']);

/**
 * The module gsn2x names in parentheses for a finding shown in a file of `fileModule`: none for findings
 * about the whole graph (C01, C02, C04, C08, layers, no elements), the file's module otherwise.
 */
export function gsn2xModuleOf(code: string, fileModule: string | undefined): string | undefined {
  return WHOLE_GRAPH_CODES.has(code) ? undefined : fileModule;
}

/** gsn2x's closing line, or undefined when there is nothing to report. */
export function gsn2xSummary(errors: number, warnings: number): string | undefined {
  if (errors > 0) return `Error: ${errors} errors and ${warnings} warnings detected.`;
  if (warnings > 0) return `Warning: ${warnings} warnings detected.`;
  return undefined;
}

const RESERVED_LAYER_NAMES = new Set([
  'text',
  'inContextOf',
  'supportedBy',
  'challenges',
  'defeated',
  'defeatedRelation',
  'classes',
  'url',
  'undeveloped',
  'nodeType',
  'rankIncrement',
  'horizontalIndex',
  'charWrap',
  'acp',
]);

interface WorkRef extends Location {
  id: string;
}

/** An element as gsn2x holds it after loading: reference lists sorted, extension applied later. */
interface WorkNode {
  id: string;
  element: GsnElement;
  module: GsnModule;
  uri: string;
  type?: GsnElementType;
  supportedBy: WorkRef[];
  inContextOf: WorkRef[];
  undeveloped: boolean;
  challengedNode?: WorkRef;
  challengedRelation?: { from: WorkRef; to: WorkRef };
}

const byId = (a: { id: string }, b: { id: string }) => compareCodePoints(a.id, b.id);

function workRefs(uri: string, refs: readonly { id: string; span: Span }[], sort: boolean): WorkRef[] {
  const out = refs.map((r) => ({ id: r.id, span: r.span, uri }));
  return sort ? out.sort(byId) : out;
}

/** Thrown inside a stage to end validation, as gsn2x's early returns do. Never escapes this module. */
class Stop {}

export class Gsn2xValidator {
  readonly findings: Gsn2xDiagnostic[] = [];
  private readonly nodes = new Map<string, WorkNode>();
  private readonly modules = new Map<string, { module: GsnModule; commandLine: boolean }>();
  private sortedIds: string[] | undefined;
  private counterNodes: WorkNode[] | undefined;

  constructor(private readonly options: Gsn2xOptions = {}) {}

  private add(severity: 'error' | 'warning', check: string, module: string | undefined, message: string, locations: Location[]): void {
    const first = locations[0];
    const d: Gsn2xDiagnostic = {
      span: first ? first.span : { start: 0, end: 0 },
      severity,
      code: `gsn-${check}`,
      message,
      locations,
    };
    if (module !== undefined) d.module = module;
    this.findings.push(d);
  }

  get errors(): number {
    return this.findings.filter((d) => d.severity === 'error').length;
  }

  get warnings(): number {
    return this.findings.filter((d) => d.severity === 'warning').length;
  }

  /**
   * Registers a loaded module and its elements (gsn2x's reading stage). False after C06 (a module of
   * that name is already loaded), which ends the run. A C07 duplicate id skips the rest of the module's
   * elements in id order, as gsn2x does.
   */
  load(module: GsnModule, commandLine: boolean): boolean {
    const existing = this.modules.get(module.name);
    if (existing) {
      const origin = existing.commandLine ? 'command line' : `file ${existing.module.uri}`;
      this.add('error', 'C06', module.name, `C06: Module in ${module.uri} was already present in ${existing.module.uri} provided by ${origin}.`, [
        this.moduleLocation(module),
      ]);
      return false;
    }
    this.modules.set(module.name, { module, commandLine });
    this.sortedIds = undefined;
    const elements = [...module.elements].sort(byId);
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i];
      if (i > 0 && elements[i - 1].id === element.id) continue;
      const other = this.nodes.get(element.id);
      if (other) {
        this.add('error', 'C07', module.name, `C07: Element ${element.id} in ${module.uri} was already present in ${other.module.name}.`, [
          { uri: module.uri, span: element.idSpan },
        ]);
        break;
      }
      const node: WorkNode = {
        id: element.id,
        element,
        module,
        uri: module.uri,
        supportedBy: workRefs(module.uri, element.supportedBy, true),
        inContextOf: workRefs(module.uri, element.inContextOf, true),
        undeveloped: element.undeveloped,
      };
      if (element.type !== undefined) node.type = element.type;
      if (element.challenges) node.challengedNode = { ...element.challenges, uri: module.uri };
      if (element.challengesRelation) {
        node.challengedRelation = {
          from: { ...element.challengesRelation.from, uri: module.uri },
          to: { ...element.challengesRelation.to, uri: module.uri },
        };
      }
      this.nodes.set(element.id, node);
    }
    return true;
  }

  private ids(): string[] {
    this.sortedIds ??= [...this.nodes.keys()].sort(compareCodePoints);
    return this.sortedIds;
  }

  /** Ids of each module's elements, in id order. */
  private idsByModule(): Map<string, string[]> {
    const byModule = new Map<string, string[]>();
    for (const id of this.ids()) {
      const name = (this.nodes.get(id) as WorkNode).module.name;
      const list = byModule.get(name);
      if (list) list.push(id);
      else byModule.set(name, [id]);
    }
    return byModule;
  }

  private moduleNames(): string[] {
    return [...this.modules.keys()].sort(compareCodePoints);
  }

  /** Where a module-level finding goes: the module's name, else its first element, else the file start. */
  private moduleLocation(module: GsnModule): Location {
    const span = module.nameSpan ?? module.elements[0]?.idSpan ?? { start: 0, end: 0 };
    return { uri: module.uri, span };
  }

  private at(node: WorkNode): Location[] {
    return [{ uri: node.uri, span: node.element.idSpan }];
  }

  /** Runs every stage after loading. Returns whether "No input elements are found." was the outcome. */
  validate(): { noElements: boolean } {
    try {
      if (this.nodes.size === 0) {
        this.add('error', 'no-elements', undefined, 'No input elements are found.', []);
        return { noElements: true };
      }
      this.checkEmptyModules();
      const byModule = this.idsByModule();
      for (const name of this.moduleNames()) this.validateModule(name, byModule.get(name) ?? []);
      this.extendModules();
      this.checkReferences();
      const roots = this.checkRoots();
      this.checkCycles(roots);
      this.checkReachable(roots);
      this.checkLayers();
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    return { noElements: false };
  }

  private checkEmptyModules(): void {
    const populated = new Set([...this.nodes.values()].map((n) => n.module.name));
    let any = false;
    for (const name of this.moduleNames()) {
      if (populated.has(name)) continue;
      const module = (this.modules.get(name) as { module: GsnModule }).module;
      this.add('error', 'empty-module', name, 'The module does not contain elements.', [this.moduleLocation(module)]);
      any = true;
    }
    if (any) throw new Stop();
  }

  // ---- V checks, one module at a time ---------------------------------------------------------------

  private validateModule(name: string, ids: string[]): void {
    const { module } = this.modules.get(name) as { module: GsnModule };
    let ok = true;
    for (const id of ids) {
      const node = this.nodes.get(id) as WorkNode;
      // All five run for every element before the module's verdict, as in gsn2x.
      const results = [
        this.validateType(node),
        this.validateIdType(node),
        this.validateReferences(node),
        this.validateClaimPoints(node),
        this.validateDefeated(node),
      ];
      if (results.includes(false)) ok = false;
    }
    if (!ok || !this.validateExtensions(module)) throw new Stop();
    this.validateDialectic(name);
  }

  private validateType(node: WorkNode): boolean {
    if (node.type !== undefined) return true;
    this.add('error', 'V01', node.module.name, `V01: Element ${node.id} is of unknown type. Please see documentation for supported types`, this.at(node));
    return false;
  }

  private validateIdType(node: WorkNode): boolean {
    const implied = typeFromId(node.id);
    if (this.options.extendedCheck && implied !== undefined && node.type !== undefined && node.type !== implied) {
      const span = node.element.nodeTypeSpan ?? node.element.idSpan;
      this.add('warning', 'V08', node.module.name, `V08: Element ${node.id} has type ${node.type}, but ID indicates type ${implied}`, [
        { uri: node.uri, span },
      ]);
    }
    return true;
  }

  private validateReferences(node: WorkNode): boolean {
    const mod = node.module.name;
    const argues = node.type === 'Goal' || node.type === 'Strategy';
    let ok = true;
    if (node.inContextOf.length > 0) {
      const valid: GsnElementType[] = argues ? ['Justification', 'Assumption', 'Context'] : [];
      if (!this.validateReferenceList(node, node.inContextOf, 'context', valid)) ok = false;
    }
    if (node.supportedBy.length > 0) {
      const valid: GsnElementType[] = argues ? ['Goal', 'CounterGoal', 'Solution', 'CounterSolution', 'Strategy'] : [];
      if (node.type === 'CounterGoal') valid.push('CounterGoal', 'CounterSolution');
      if (!this.validateReferenceList(node, node.supportedBy, 'supported by element', valid)) ok = false;
      if (node.undeveloped) {
        this.add('error', 'V03', mod, `V03: Undeveloped element ${node.id} has supporting arguments.`, this.at(node));
        ok = false;
      }
    } else if (argues && !node.undeveloped) {
      this.add('warning', 'V02', mod, `V02: Element ${node.id} is undeveloped.`, this.at(node));
    }
    const challenge = node.element.challenges ?? node.element.challengesRelation;
    if (challenge && node.type !== 'CounterGoal' && node.type !== 'CounterSolution') {
      this.add('error', 'V12', mod, `V12: ${node.id} is not a CounterGoal nor CounterSolution but challenges another element or relation.`, [
        { uri: node.uri, span: challenge.span },
      ]);
      ok = false;
    }
    return ok;
  }

  private validateReferenceList(node: WorkNode, refs: WorkRef[], what: string, valid: GsnElementType[]): boolean {
    const mod = node.module.name;
    const seen = new Set<string>();
    let ok = true;
    for (const ref of refs) {
      const where = [{ uri: ref.uri, span: ref.span }];
      if (ref.id === node.id) {
        this.add('error', 'V06', mod, `V06: Element ${node.id} references itself in ${what}.`, where);
        ok = false;
      }
      if (seen.has(ref.id)) {
        this.add('warning', 'V05', mod, `V05: Element ${node.id} has duplicate entry ${ref.id} in ${what}.`, where);
      }
      seen.add(ref.id);
      // A target that does not exist yet is fine here; C03 reports it after all modules are in.
      const target = this.nodes.get(ref.id);
      if (!valid.some((t) => (target ? target.type === t : true))) {
        this.add('error', 'V04', mod, `V04: Element ${node.id} has invalid type of reference ${ref.id} in ${what}.`, where);
        ok = false;
      }
    }
    return ok;
  }

  private validateClaimPoints(node: WorkNode): boolean {
    const acp = node.element.acp;
    if (!acp || acp.length === 0) return true;
    const connected = new Set([node.id]);
    for (const ref of [...node.supportedBy, ...node.inContextOf]) if (this.nodes.has(ref.id)) connected.add(ref.id);
    let ok = true;
    for (const point of [...acp].sort((a, b) => compareCodePoints(a.name, b.name))) {
      for (const ref of point.refs) {
        if (connected.has(ref.id)) continue;
        this.add(
          'error',
          'V09',
          node.module.name,
          `V09: Element ${node.id} has an assurance claim point ${point.name} that references ${ref.id}, but this is neither its own ID nor any of the connected elements.`,
          [{ uri: node.uri, span: ref.span }],
        );
        ok = false;
      }
    }
    return ok;
  }

  private validateDefeated(node: WorkNode): boolean {
    let ok = true;
    if (node.element.defeated) {
      let challenged = false;
      for (const other of this.nodes.values()) {
        if (other.challengedNode?.id === node.id) {
          challenged = true;
          break;
        }
      }
      if (!challenged) {
        this.add('error', 'V10', node.module.name, `V10: Element ${node.id} is marked as defeated, but no other element challenges it.`, this.at(node));
        ok = false;
      }
    }
    for (const rel of node.element.defeatedRelation ?? []) {
      const linked =
        node.supportedBy.some((r) => r.id === rel.id) ||
        node.inContextOf.some((r) => r.id === rel.id) ||
        node.challengedNode?.id === rel.id;
      if (linked) continue;
      this.add(
        'error',
        'V13',
        node.module.name,
        `V13: Relation from ${node.id} to ${rel.id} is marked as defeated, but ${node.id} has no relation to ${rel.id}.`,
        [{ uri: node.uri, span: rel.span }],
      );
      // gsn2x stops at the first such relation of an element.
      return false;
    }
    return ok;
  }

  private validateExtensions(module: GsnModule): boolean {
    let ok = true;
    for (const ext of module.extends) {
      for (const dev of [...developsOf(ext)].sort((a, b) => compareCodePoints(a.foreign.id, b.foreign.id))) {
        for (const local of dev.local) {
          const where = [{ uri: module.uri, span: local.span }];
          if (!(local.id.startsWith('Sn') || local.id.startsWith('S') || local.id.startsWith('G'))) {
            this.add('error', 'V07', module.name, `V07: Element ${local.id} is of wrong type. Only Strategies, Goals and Solutions can develop other Goals and Strategies.`, where);
            ok = false;
          } else if (this.nodes.get(local.id)?.module.name !== module.name) {
            this.add(
              'error',
              'V07',
              module.name,
              `V07: Element ${local.id} in module ${module.name} supposed to develop ${dev.foreign.id} in module ${ext.module} does not exist.`,
              where,
            );
            ok = false;
          }
        }
      }
    }
    return ok;
  }

  private validateDialectic(moduleName: string): void {
    if (!this.options.warnDialectic) return;
    // gsn2x lists the counter elements of all loaded modules, once per module.
    this.counterNodes ??= this.ids()
      .map((id) => this.nodes.get(id) as WorkNode)
      .filter((n) => n.type === 'CounterGoal' || n.type === 'CounterSolution');
    const counter = this.counterNodes;
    if (counter.length === 0) return;
    const own = counter.filter((n) => n.module.name === moduleName).flatMap((n) => this.at(n));
    const { module } = this.modules.get(moduleName) as { module: GsnModule };
    this.add('warning', 'V11', moduleName, `V11: Dialectic extension is used. See elements: ${counter.map((n) => n.id).join(', ')}`, own.length > 0 ? own : [this.moduleLocation(module)]);
  }

  // ---- Module extension (C09, C10) ------------------------------------------------------------------

  private extendModules(): void {
    let ok = true;
    for (const name of this.moduleNames()) {
      const { module } = this.modules.get(name) as { module: GsnModule };
      for (const ext of module.extends) {
        const extSpan = ext.moduleSpan ?? ext.span;
        if (!this.modules.has(ext.module)) {
          this.add('error', 'C09', name, `C09: Module ${ext.module} is not found, but is supposed to be extended by module ${name}.`, [
            { uri: module.uri, span: extSpan },
          ]);
          ok = false;
        }
        for (const dev of [...developsOf(ext)].sort((a, b) => compareCodePoints(a.foreign.id, b.foreign.id))) {
          const locals = dev.local.map((l) => l.id).join(',');
          const where = [{ uri: module.uri, span: dev.foreign.span }];
          const foreign = this.nodes.get(dev.foreign.id);
          if (!foreign) {
            this.add('error', 'C10', name, `C10: Element ${dev.foreign.id} does not exist, but is supposed to be extended by ${locals}.`, where);
            ok = false;
          } else if (foreign.module.name !== ext.module) {
            this.add('error', 'C10', name, `C10: Element ${dev.foreign.id} does not exist in module ${ext.module}, but is supposed to be extended by ${locals}.`, where);
            ok = false;
          } else if (!foreign.undeveloped) {
            this.add('error', 'C10', name, `C10: Element ${dev.foreign.id} is not undeveloped, but is supposed to be extended by ${locals}.`, where);
            ok = false;
          } else {
            foreign.supportedBy = workRefs(module.uri, dev.local, false);
            foreign.undeveloped = false;
          }
        }
      }
    }
    if (!ok) throw new Stop();
  }

  // ---- Reference checks (C03, C11–C16) ---------------------------------------------------------------

  private checkReferences(): void {
    const excluded = new Set(this.options.excluded ?? []);
    for (const id of this.ids()) {
      const node = this.nodes.get(id) as WorkNode;
      if (excluded.has(node.module.name)) continue;
      const results = [
        this.checkResolved(node, node.inContextOf, 'in context of'),
        this.checkResolved(node, node.supportedBy, 'supported by'),
        this.checkChallenge(node),
      ];
      // gsn2x stops at the first element with a problem (after all of that element's checks).
      if (results.includes(false)) throw new Stop();
    }
  }

  private checkResolved(node: WorkNode, refs: WorkRef[], what: string): boolean {
    const missing = refs.find((r) => !this.nodes.has(r.id));
    if (!missing) return true;
    const where = [{ uri: missing.uri, span: missing.span }];
    this.add('error', 'C03', node.module.name, `C03: Element ${node.id} has unresolved "${what}" element: ${missing.id}`, where);
    if (missing.id.includes(',')) {
      this.add(
        'warning',
        'C11',
        node.module.name,
        `C11: Unresolved "${what}" element of ${node.id} may be actually a list: ${missing.id}. Try writing [${missing.id}] instead.`,
        where,
      );
    }
    return false;
  }

  private relationsOf(id: string): string[] {
    const node = this.nodes.get(id);
    if (!node) return [];
    const out = [...node.supportedBy, ...node.inContextOf].map((r) => r.id);
    if (node.challengedNode) out.push(node.challengedNode.id);
    if (node.challengedRelation) out.push(node.challengedRelation.from.id, node.challengedRelation.to.id);
    return out;
  }

  private checkChallenge(node: WorkNode): boolean {
    const mod = node.module.name;
    const id = node.id;
    if (node.challengedNode) {
      const target = node.challengedNode;
      const where = [{ uri: target.uri, span: target.span }];
      if (target.id === id) this.add('error', 'C13', mod, `C13: Element ${id} challenges itself.`, where);
      else if (!this.nodes.has(target.id)) this.add('error', 'C14', mod, `C14: Element ${id} challenges element ${target.id}, but it does not exist.`, where);
      else return true;
      return false;
    }
    if (node.challengedRelation) {
      const { from: l, to: r } = node.challengedRelation;
      const whole = [{ uri: node.uri, span: { start: l.span.start, end: Math.max(l.span.end, r.span.end) } }];
      if (l.id === r.id) this.add('error', 'C15', mod, `C15: Element ${id} challenges a relation with both ends pointing to ${l.id}.`, whole);
      else if (!this.nodes.has(l.id)) {
        this.add('error', 'C12', mod, `C12: Element ${id} challenges a relation, but element ${l.id} of the relation does not exist.`, [{ uri: l.uri, span: l.span }]);
      } else if (!this.nodes.has(r.id)) {
        this.add('error', 'C12', mod, `C12: Element ${id} challenges a relation, but element ${r.id} of the relation does not exist.`, [{ uri: r.uri, span: r.span }]);
      } else if (!(this.relationsOf(r.id).includes(l.id) || this.relationsOf(l.id).includes(r.id))) {
        this.add('error', 'C16', mod, `C16: Element ${id} challenges a relation, but the referenced elements ${r.id} and ${l.id} do not have a relation.`, whole);
      } else return true;
      return false;
    }
    return true;
  }

  // ---- Whole-graph checks (C01, C02, C04, C08) and layers --------------------------------------------

  private checkRoots(): string[] {
    const referenced = new Set<string>();
    for (const node of this.nodes.values()) {
      for (const ref of node.inContextOf) referenced.add(ref.id);
      for (const ref of node.supportedBy) referenced.add(ref.id);
      // A counter element hangs below what it challenges; it is never a top-level claim.
      if (node.challengedNode || node.challengedRelation) referenced.add(node.id);
    }
    const roots = this.ids().filter((id) => !referenced.has(id));
    if (roots.length > 1) {
      const where = roots.map((id) => this.at(this.nodes.get(id) as WorkNode)[0]);
      this.add('warning', 'C01', undefined, `C01: There is more than one unreferenced element: ${roots.join(', ')}.`, where);
    } else if (roots.length === 1) {
      const root = this.nodes.get(roots[0]) as WorkNode;
      if (root.type !== 'Goal') {
        this.add('error', 'C02', undefined, `C02: The root element should be a goal, but ${root.id} was found.`, this.at(root));
        throw new Stop();
      }
    } else {
      const first = this.nodes.get(this.ids()[0]) as WorkNode;
      this.add('error', 'C01', undefined, 'C01: There are no unreferenced elements found.', this.at(first));
      throw new Stop();
    }
    return roots;
  }

  private supportChildren(id: string): WorkRef[] {
    return this.nodes.get(id)?.supportedBy ?? [];
  }

  /** Ids from which a supportedBy cycle can be reached (iterative Tarjan, then reverse reachability). */
  private idsReachingCycles(): Set<string> {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const sccStack: string[] = [];
    const cyclic = new Set<string>();
    let counter = 0;
    for (const start of this.ids()) {
      if (index.has(start)) continue;
      const work: { id: string; next: number }[] = [{ id: start, next: 0 }];
      index.set(start, counter);
      low.set(start, counter++);
      sccStack.push(start);
      onStack.add(start);
      while (work.length > 0) {
        const frame = work[work.length - 1];
        const children = this.supportChildren(frame.id);
        if (frame.next < children.length) {
          const child = children[frame.next++].id;
          if (!this.nodes.has(child)) continue;
          if (child === frame.id) cyclic.add(child);
          if (!index.has(child)) {
            index.set(child, counter);
            low.set(child, counter++);
            sccStack.push(child);
            onStack.add(child);
            work.push({ id: child, next: 0 });
          } else if (onStack.has(child)) {
            low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(child) as number));
          }
          continue;
        }
        work.pop();
        if (work.length > 0) {
          const parent = work[work.length - 1].id;
          low.set(parent, Math.min(low.get(parent) as number, low.get(frame.id) as number));
        }
        if (low.get(frame.id) === index.get(frame.id)) {
          const component: string[] = [];
          let member: string;
          do {
            member = sccStack.pop() as string;
            onStack.delete(member);
            component.push(member);
          } while (member !== frame.id);
          if (component.length > 1) for (const m of component) cyclic.add(m);
        }
      }
    }
    if (cyclic.size === 0) return cyclic;
    const supporters = new Map<string, string[]>();
    for (const node of this.nodes.values()) {
      for (const ref of node.supportedBy) {
        const list = supporters.get(ref.id);
        if (list) list.push(node.id);
        else supporters.set(ref.id, [node.id]);
      }
    }
    const reaching = new Set(cyclic);
    const queue = [...cyclic];
    while (queue.length > 0) {
      for (const parent of supporters.get(queue.pop() as string) ?? []) {
        if (!reaching.has(parent)) {
          reaching.add(parent);
          queue.push(parent);
        }
      }
    }
    return reaching;
  }

  /**
   * gsn2x's first-cycle search: a depth-first walk from the roots over supportedBy, tracking the chain of
   * ancestors, reporting the first child that is already an ancestor. Subtrees that cannot reach any cycle
   * are skipped; they could never report one, so the first cycle found (and the message) is unchanged,
   * while the walk stays linear instead of enumerating every path of a shared sub-argument.
   */
  private checkCycles(roots: string[]): void {
    const reaching = this.idsReachingCycles();
    if (reaching.size === 0) return;
    const hasChildren = (id: string) => this.supportChildren(id).length > 0;
    const stack: [string, number][] = roots.map((id) => [id, 0]);
    const ancestors: string[] = [];
    const ancestorSet = new Set<string>();
    let depth = 0;
    while (stack.length > 0) {
      const [id, atDepth] = stack.pop() as [string, number];
      if (atDepth < depth) {
        for (const gone of ancestors.splice(atDepth)) ancestorSet.delete(gone);
        depth = atDepth;
      }
      const children = this.supportChildren(id);
      if (children.some((c) => hasChildren(c.id))) {
        depth++;
        ancestors.push(id);
        ancestorSet.add(id);
      }
      for (const child of children) {
        if (!hasChildren(child.id)) continue;
        if (ancestorSet.has(child.id)) {
          const ring = [child.id, ...ancestors.slice(ancestors.lastIndexOf(child.id) + 1), child.id];
          this.add('error', 'C04', undefined, `C04: Cycle detected at element ${id}. Cycle is ${ring.join(' -> ')}.`, [
            { uri: child.uri, span: child.span },
          ]);
          throw new Stop();
        }
        if (reaching.has(child.id)) stack.push([child.id, depth]);
      }
    }
  }

  /**
   * C08. From the roots gsn2x places supportedBy children and the elements challenging a placed element;
   * inContextOf targets are placed beside their element but not expanded further.
   */
  private checkReachable(roots: string[]): void {
    const challengers = new Map<string, string[]>();
    for (const node of this.nodes.values()) {
      const target = node.challengedNode?.id ?? node.challengedRelation?.from.id;
      if (target === undefined) continue;
      const list = challengers.get(target);
      if (list) list.push(node.id);
      else challengers.set(target, [node.id]);
    }
    const visited = new Set<string>();
    const expanded = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (expanded.has(id)) continue;
      expanded.add(id);
      visited.add(id);
      const node = this.nodes.get(id);
      if (!node) continue;
      for (const ref of node.inContextOf) visited.add(ref.id);
      for (const ref of node.supportedBy) if (!expanded.has(ref.id)) queue.push(ref.id);
      for (const challenger of challengers.get(id) ?? []) if (!expanded.has(challenger)) queue.push(challenger);
    }
    const unreachable = this.ids().filter((id) => !visited.has(id));
    if (unreachable.length === 0) return;
    this.add(
      'error',
      'C08',
      undefined,
      `C08: The following element(s) are not reachable from the root element(s) (${roots.join(', ')}): ${unreachable.join(', ')}`,
      unreachable.map((id) => this.at(this.nodes.get(id) as WorkNode)[0]),
    );
    throw new Stop();
  }

  private checkLayers(): void {
    for (const layer of this.options.layers ?? []) {
      if (RESERVED_LAYER_NAMES.has(layer)) {
        this.add('error', 'layer', undefined, `${layer} is a reserved attribute and cannot be used as layer.`, []);
      } else if (![...this.nodes.values()].some((n) => Object.prototype.hasOwnProperty.call(n.element.extra, layer))) {
        this.add('warning', 'layer', undefined, `Layer ${layer} is not used in file. No additional output will be generated.`, []);
      }
    }
  }
}

function developsOf(ext: GsnModule['extends'][number]): { foreign: { id: string; span: Span }; local: { id: string; span: Span }[] }[] {
  if (ext.developRefs) return ext.developRefs;
  // Modules built without spans (e.g. by hand) still extend; the whole entry is the location then.
  return Object.entries(ext.develops).map(([foreign, local]) => ({
    foreign: { id: foreign, span: ext.span },
    local: local.map((id) => ({ id, span: ext.span })),
  }));
}
