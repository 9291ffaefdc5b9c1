// The one HTML shell every panel uses: strict CSP, a fresh nonce per load, assets only from the built bundle.
// No data goes into this HTML; the page receives everything through postMessage.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PanelKind } from '../../protocol/messages';

export function assetRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: assetRoots(extensionUri) };
}

function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} https: data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const titles: Record<PanelKind, string> = {
  problems: 'Open Problems',
  methods: 'Methods',
  paper: 'Paper',
  dashboard: 'Review Dashboard',
};

export function panelTitle(kind: PanelKind): string {
  return titles[kind];
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, kind: PanelKind): string {
  return webviewShell(webview, {
    style: vscode.Uri.joinPath(extensionUri, 'media', 'panels.css'),
    script: vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'webview.js'),
    title: titles[kind],
    view: kind,
  });
}

/**
 * A page: the CSP with a fresh nonce, one stylesheet and one module script from the bundle, and an empty app root
 * the script fills. `title` and `view` are our constants, never text from files.
 */
export function webviewShell(webview: vscode.Webview, page: { style: vscode.Uri; script: vscode.Uri; title: string; view?: string }): string {
  const nonce = createNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${webview.asWebviewUri(page.style).toString()}">
<title>${page.title}</title>
</head>
<body${page.view ? ` data-view="${page.view}"` : ''}>
<main id="app" aria-busy="true" aria-label="${page.title}"></main>
<script type="module" nonce="${nonce}" src="${webview.asWebviewUri(page.script).toString()}"></script>
</body>
</html>`;
}
