// SARIF 2.1.0 output for code-scanning dashboards (GitHub, Azure DevOps). Columns are UTF-16 code units,
// which is what our offsets are, and SARIF's default `columnKind`.
import type { Severity } from '../core/model';

export interface Finding {
  /** Path as printed (relative to the working directory). */
  file: string;
  uri: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
  /** gsn2x's own rendering for safety-case findings. */
  gsn2x?: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** A SARIF log with one run; artifact URIs are relative to `rootUri` (a folder URI ending in `/`). */
export function toSarif(findings: readonly Finding[], version: string, rootUri: string): object {
  const ruleIds = [...new Set(findings.map((f) => f.code))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'interp-review',
            version,
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: id } })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: rootUri } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: ruleIndex.get(f.code),
          level: LEVEL[f.severity],
          message: { text: f.gsn2x ?? f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: f.uri.startsWith(rootUri)
                  ? { uri: f.uri.slice(rootUri.length), uriBaseId: 'SRCROOT' }
                  : { uri: f.uri },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}
