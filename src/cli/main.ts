// `interp-review`: the extension's checks from a terminal or CI. Same index, parsers and defaults as the
// editor, over the Node file system. Exit codes: 0 clean, 1 errors found, 2 bad usage.
import { existsSync, promises as fsp, statSync } from 'node:fs';
import * as path from 'node:path';
import packageJson from '../../package.json';
import { analyzeDocument } from '../core/index/analyze';
import { documentKind } from '../core/index/classify';
import { defaultParsers } from '../core/index/defaultParsers';
import { WorkspaceIndex } from '../core/index/workspaceIndex';
import type { BibEntry, CoreDiagnostic, ParseResult } from '../core/model';
import { LineMap } from '../core/text';
import { fileUriFromPath, pathFromFileUri } from '../core/uri';
import { defaultConfig, type Logger } from '../core/workspace';
import { NodeFs } from './nodeFs';
import { toSarif, type Finding } from './sarif';

const VERSION: string = packageJson.version;

const HELP = `interp-review ${VERSION} — citations, bibliographies and safety cases for interpretability reviews

Usage:
  interp-review citations <file…> [--json]      List citation keys in Markdown/LaTeX files
  interp-review bib <file> [--json]             Show the entries of a BibTeX, CSL-JSON or CSL-YAML file
  interp-review check [dir] [--format text|json|sarif] [--progress] [--no-corpus]
                                                Index a folder and report every diagnostic
  interp-review --help | --version

Exit status: 0 no errors, 1 errors found, 2 bad usage.
`;

class UsageError extends Error {}

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Splits arguments into positionals and known flags; anything else is a usage error. */
function parseArgs(args: string[], known: Record<string, 'bool' | 'value'>): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const kind = known[name];
    if (!kind) throw new UsageError(`unknown option '${name}'`);
    if (kind === 'bool') {
      if (eq >= 0) throw new UsageError(`option '${name}' takes no value`);
      flags.set(name, true);
    } else {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`option '${name}' needs a value`);
      flags.set(name, value);
    }
  }
  return { positional, flags };
}

function requireFile(file: string): void {
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  if (!statSync(file).isFile()) throw new UsageError(`not a file: ${file}`);
}

async function readText(file: string): Promise<string> {
  return new TextDecoder('utf-8', { fatal: false }).decode(await fsp.readFile(file));
}

function write(text: string): void {
  process.stdout.write(text);
}

// ---------------------------------------------------------------------------------------------

async function citationsCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, { '--json': 'bool' });
  if (positional.length === 0) throw new UsageError('citations needs at least one file');
  positional.forEach(requireFile);
  const rows: { file: string; line: number; column: number; key: string; syntax: string }[] = [];
  for (const file of positional) {
    const text = await readText(file);
    const uri = fileUriFromPath(path.resolve(file));
    // Files that are neither LaTeX nor a safety case are read as Pandoc Markdown, whatever their extension.
    const detected = documentKind(uri, text);
    const kind = detected === 'latex' || detected === 'gsn' ? detected : 'markdown';
    const analysis = analyzeDocument(uri, kind, text, text.length, defaultConfig, defaultParsers);
    const lines = new LineMap(text);
    const citations = [...analysis.citations].sort((a, b) => a.keySpan.start - b.keySpan.start);
    for (const c of citations) {
      const pos = lines.positionAt(c.keySpan.start);
      rows.push({ file, line: pos.line + 1, column: pos.character + 1, key: c.key, syntax: c.syntax });
    }
  }
  if (flags.has('--json')) write(JSON.stringify(rows, null, 2) + '\n');
  else write(rows.map((r) => `${r.file}:${r.line}:${r.column} ${r.key}\n`).join(''));
  return 0;
}

function parseBibliographyFile(file: string, text: string): ParseResult<BibEntry[]> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return defaultParsers.parseCslJson(text);
  if (ext === '.yaml' || ext === '.yml') return defaultParsers.parseCslYaml(text);
  return defaultParsers.parseBibtex(text, {});
}

async function bibCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, { '--json': 'bool' });
  if (positional.length !== 1) throw new UsageError('bib needs exactly one file');
  const [file] = positional;
  requireFile(file);
  const text = await readText(file);
  const parsed = parseBibliographyFile(file, text);
  const lines = new LineMap(text);
  const entries = parsed.value.map((entry) => {
    const info = entry.info ?? defaultParsers.paperInfo(entry);
    return {
      key: entry.key,
      type: entry.type,
      title: info.title ?? null,
      authors: info.authors,
      year: info.year ?? null,
      doi: info.doi ?? null,
      url: info.url ?? null,
      abstract: info.abstract ?? null,
    };
  });
  const errors = parsed.diagnostics
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => ({ line: lines.positionAt(d.span.start).line + 1, message: d.message }));
  if (flags.has('--json')) {
    write(JSON.stringify({ entries, errors }, null, 2) + '\n');
  } else {
    for (const e of entries) {
      write(`${e.key} (${e.type})${e.year ? ` ${e.year}` : ''}${e.title ? ` — ${e.title}` : ''}${e.authors.length ? ` — ${e.authors.join('; ')}` : ''}\n`);
    }
    for (const e of errors) process.stderr.write(`${file}:${e.line}: ${e.message}\n`);
  }
  return errors.length > 0 && parsed.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

function stderrLogger(verbose: boolean): Logger {
  const line = (level: string) => (message: string) => {
    if (verbose) process.stderr.write(`[${level}] ${message}\n`);
  };
  return { debug: () => {}, info: line('info'), warn: line('warn'), error: (m) => process.stderr.write(`[error] ${m}\n`) };
}

async function checkCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, {
    '--format': 'value',
    '--progress': 'bool',
    '--no-corpus': 'bool',
    '--verbose': 'bool',
  });
  if (positional.length > 1) throw new UsageError('check takes at most one folder');
  const dir = path.resolve(positional[0] ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no such folder: ${positional[0] ?? '.'}`);
  const format = (flags.get('--format') as string | undefined) ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown format '${format}' (text, json or sarif)`);
  const showProgress = flags.has('--progress') || process.stderr.isTTY === true;

  const index = new WorkspaceIndex({
    fs: new NodeFs([dir]),
    config: { ...defaultConfig, corpusEnabled: !flags.has('--no-corpus') },
    logger: stderrLogger(flags.has('--verbose')),
    parsers: defaultParsers,
  });
  if (showProgress) {
    let last = 0;
    index.onProgress(({ done, total }) => {
      const t = Date.now();
      if (done < total && t - last < 100) return;
      last = t;
      process.stderr.write(`\rIndexing ${done}/${total} files`);
      if (done === total) process.stderr.write('\n');
    });
  }
  await index.start();
  await index.ready();

  const findings: Finding[] = [];
  for (const [uri, diagnostics] of index.allDiagnostics()) {
    const doc = index.document(uri)!;
    const file = path.relative(process.cwd(), pathFromFileUri(uri)) || pathFromFileUri(uri);
    for (const d of diagnostics) findings.push(toFinding(file, uri, doc.lineMap, d, index.formatSafetyCaseDiagnostic(uri, d)));
  }
  index.dispose();
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));

  if (format === 'json') write(JSON.stringify(findings, null, 2) + '\n');
  else if (format === 'sarif') write(JSON.stringify(toSarif(findings, VERSION, fileUriFromPath(dir) + '/'), null, 2) + '\n');
  else {
    for (const f of findings) write(`${f.file}:${f.line}:${f.column}: ${f.gsn2x ?? `${f.severity} [${f.code}] ${f.message}`}\n`);
    const count = (s: string) => findings.filter((f) => f.severity === s).length;
    process.stderr.write(`${count('error')} errors, ${count('warning')} warnings, ${findings.length - count('error') - count('warning')} notes\n`);
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function toFinding(file: string, uri: string, lines: LineMap, d: CoreDiagnostic, gsn2x: string | undefined): Finding {
  const start = lines.positionAt(d.span.start);
  const end = lines.positionAt(d.span.end);
  const finding: Finding = {
    file,
    uri,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
  if (gsn2x) finding.gsn2x = gsn2x;
  return finding;
}

// ---------------------------------------------------------------------------------------------

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (rest.includes('--help')) {
    write(HELP);
    return 0;
  }
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        write(HELP);
        return command === undefined ? 2 : 0;
      case '--version':
      case '-v':
        write(`${VERSION}\n`);
        return 0;
      case 'citations':
        return await citationsCommand(rest);
      case 'bib':
        return await bibCommand(rest);
      case 'check':
        return await checkCommand(rest);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`interp-review: ${e.message}\nRun 'interp-review --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      // Distinct from 1 (findings) and 2 (usage): a bug of ours, never a verdict on the files.
      process.stderr.write(`interp-review: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
