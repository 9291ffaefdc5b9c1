// The one place where core spans (UTF-16 offsets) meet VS Code ranges (line/character).
import * as vscode from 'vscode';
import type { Span } from '../core/model';
import type { LineMap } from '../core/text';

type OffsetSource = Pick<vscode.TextDocument, 'positionAt' | 'offsetAt'> | LineMap;

function isDocument(source: OffsetSource): source is Pick<vscode.TextDocument, 'positionAt' | 'offsetAt'> {
  return typeof (source as vscode.TextDocument).positionAt === 'function' && !('lineText' in source);
}

export function positionAt(source: OffsetSource, offset: number): vscode.Position {
  if (isDocument(source)) return source.positionAt(offset);
  const p = source.positionAt(offset);
  return new vscode.Position(p.line, p.character);
}

export function spanToRange(source: OffsetSource, span: Span): vscode.Range {
  return new vscode.Range(positionAt(source, span.start), positionAt(source, span.end));
}

export function offsetAt(source: OffsetSource, position: vscode.Position): number {
  return isDocument(source) ? source.offsetAt(position) : source.offsetAt({ line: position.line, character: position.character });
}

/** True when `offset` lies in the span or touches its end (the cursor just after a key still counts). */
export function spanContains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
