// Drives the real workbench (the pinned code-server in Debian's Chromium) for end-to-end tests.
//
//   const server = await startCodeServer({ workspace: 'test/fixtures/workspace' });
//   const { page, close } = await openWorkbench(server);
//   await openFile(page, 'notes/elhage2021.md');
//   await hoverAt(page, '@elhage2021');
//   expect(await readHover(page)).to.contain('A Mathematical Framework');
//
// Every helper waits for the UI instead of sleeping and fails with a message that says what it was waiting for.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { Browser, ElementHandle, Frame, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/browser.mjs';
import { ensureCodeServer } from '../../scripts/lib/code-server-install.mjs';
import { launchCodeServer, remoteUri, workbenchUrl } from '../../scripts/lib/code-server.mjs';

export const REPO_ROOT = findRepoRoot(__dirname);
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');

const UI_TIMEOUT_MS = 30_000;
/** The last lines each page (webview frames included) wrote to its console, kept for failure reports. */
const CONSOLE_LINES_KEPT = 2000;
const consoleLines = new WeakMap<Page, string[]>();

// Rendered lines equal document lines without wrapping, and no minimap means one copy of each text on screen.
const E2E_SETTINGS: Record<string, unknown> = {
  'editor.wordWrap': 'off',
  '[markdown]': { 'editor.wordWrap': 'off' },
  'editor.minimap.enabled': false,
};

export interface CodeServer {
  /** Base URL of the server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Absolute path of the opened folder or .code-workspace file. */
  workspace: string;
  /** Absolute path of the throw-away user settings file. */
  settingsFile: string;
  /** code-server's own output so far (attach it to failures). */
  readLog(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Folder or `.code-workspace` file, absolute or relative to the repository root. */
  workspace: string;
  /** User settings merged over the harness defaults (no trust prompt, no welcome page, fixed theme). */
  settings?: Record<string, unknown>;
}

/** Starts code-server with this checkout loaded as the extension under development (built `dist/` required). */
export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  const workspace = isAbsolute(options.workspace) ? options.workspace : join(REPO_ROOT, options.workspace);
  if (!existsSync(workspace)) throw new Error(`startCodeServer: workspace ${workspace} does not exist`);
  if (!existsSync(join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('startCodeServer: dist/extension.js is missing; run `npm run build` first');
  }
  const layout = await ensureCodeServer();
  const server = await launchCodeServer({ layout, settings: { ...E2E_SETTINGS, ...options.settings } });
  return {
    url: server.url,
    workspace,
    settingsFile: join(server.userDataDir, 'User', 'settings.json'),
    readLog: server.readLog,
    stop: server.stop,
  };
}

export interface Workbench {
  page: Page;
  close(): Promise<void>;
}

/**
 * Opens the workbench on the server's workspace in a fresh headless Chromium and waits until the explorer shows
 * the workspace and the extension host has started. `theme` is a color theme label, e.g. 'Default Dark Modern'.
 */
export async function openWorkbench(server: CodeServer, options: { theme?: string } = {}): Promise<Workbench> {
  if (options.theme) {
    const settings = JSON.parse(readFileSync(server.settingsFile, 'utf8'));
    writeFileSync(server.settingsFile, `${JSON.stringify({ ...settings, 'workbench.colorTheme': options.theme }, null, 2)}\n`);
  }
  const browser: Browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    recordConsole(page);
    const isWorkspaceFile = server.workspace.endsWith('.code-workspace');
    await page.goto(
      workbenchUrl(server.url, {
        ...(isWorkspaceFile ? { workspaceFile: server.workspace } : { folder: server.workspace }),
        payload: [
          ['extensionDevelopmentPath', remoteUri(server.url, REPO_ROOT)],
          ['skipWelcome', 'true'],
        ],
      }),
    );
    await waitFor(page.locator('.monaco-workbench .part.statusbar'), 'the workbench status bar', 60_000);
    await waitFor(page.locator('.explorer-folders-view .monaco-list-row').first(), 'the explorer to list the workspace', 60_000);
    return {
      page,
      close: async () => {
        await browser.close();
      },
    };
  } catch (error) {
    await browser.close();
    throw new Error(`openWorkbench failed: ${(error as Error).message}\n--- code-server log ---\n${server.readLog().slice(-3000)}`);
  }
}

/** Opens a workspace file through Quick Open and waits until its editor is active. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const fileName = relativePath.split('/').pop() ?? relativePath;
  await retry(`open ${relativePath} with Quick Open`, 3, async () => {
    await page.keyboard.press('Escape');
    await page.locator('.monaco-workbench').press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await waitFor(input, 'the Quick Open input', 5_000);
    await input.fill(relativePath);
    // File search is asynchronous: pick the row for this path (name, and folder in the row's description), not
    // whatever ranks first while the search runs.
    const folder = relativePath.includes('/') ? relativePath.slice(0, relativePath.lastIndexOf('/')) : undefined;
    let rows = page.locator('.quick-input-list .monaco-list-row', { hasText: fileName });
    if (folder) rows = rows.filter({ hasText: folder });
    const row = rows.first();
    await waitFor(row, `a Quick Open result for ${relativePath}`, 10_000);
    await row.click();
    await waitFor(page.locator(`.tabs-container .tab.active[aria-label*="${cssString(fileName)}"]`), `an active tab for ${fileName}`, 10_000);
    await waitFor(activeEditor(page).locator('.view-lines'), `the editor for ${fileName}`, 10_000);
  });
}

/**
 * The text the active editor currently renders: visible lines only, as Monaco virtualises the rest, and one
 * line per document line because the harness turns word wrap off.
 */
export async function readEditorText(page: Page): Promise<string> {
  const lines = activeEditor(page).locator('.view-lines .view-line');
  await waitFor(lines.first(), 'editor lines', 10_000);
  // Lines are absolutely positioned; sort by their top offset to get document order. Monaco recycles line
  // nodes while it renders, so read until two reads a frame apart agree.
  const read = () =>
    lines.evaluateAll((elements) =>
      elements
        .map((element: DomElement) => ({ top: element.offsetTop, text: (element.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text)
        .join('\n'),
    );
  let previous = await read();
  for (let attempt = 0; attempt < 50; attempt++) {
    await page.waitForTimeout(100);
    const current = await read();
    if (current === previous) return current;
    previous = current;
  }
  throw new Error('the editor kept re-rendering for 5 s; its text never settled');
}

/**
 * Moves the mouse over the middle of the first occurrence of `text` in the active editor and waits for the hover
 * widget. Scrolls the text into view with the Find widget when it is not rendered yet.
 */
export async function hoverAt(page: Page, text: string): Promise<void> {
  let point = await locateText(page, text);
  if (!point) {
    await revealWithFind(page, text);
    point = await locateText(page, text);
  }
  if (!point) throw new Error(`hoverAt: "${text}" is not in the active editor`);
  const target = point;
  await retry(`show the hover for "${text}"`, 3, async () => {
    // Leave and re-enter: Monaco shows a hover on mouse movement, not on position.
    await page.mouse.move(5, 5);
    await page.mouse.move(target.x, target.y, { steps: 4 });
    await waitFor(hoverWidget(page), `the hover widget over "${text}"`, 8_000);
  });
}

/** The text of the visible hover widget, once it has finished loading. */
export async function readHover(page: Page): Promise<string> {
  const widget = hoverWidget(page);
  await waitFor(widget, 'a visible hover widget', 10_000);
  let text = '';
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    text = (await widget.innerText()).trim();
    if (text && !/^Loading\.\.\.$/.test(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`readHover: the hover never finished loading (last text: ${JSON.stringify(text)})`);
}

/** Runs a command by its palette title, e.g. 'Interpretability Review: Reindex Workspace'. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await retry(`run command "${title}"`, 3, async () => {
    await page.keyboard.press('Escape');
    await page.locator('.monaco-workbench').press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await waitFor(input, 'the command palette', 5_000);
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row').filter({
      has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
    try {
      await waitFor(row.first(), `"${title}" in the command palette`, 10_000);
    } catch (error) {
      const offered = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
      throw new Error(`${(error as Error).message}; the palette offered: ${offered.slice(0, 10).join(' | ') || 'nothing'}`);
    }
    await row.first().click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  });
}

/**
 * The document inside the webview shown by the editor tab (or side-bar/panel view) whose title contains `title`:
 * the inner `#active-frame` iframe of VS Code's webview host, once its body has content. VS Code draws every
 * webview in an overlay outside the editor's DOM, so the webview is matched to its tab by position: it is the
 * visible webview lying over that tab's editor group (or that view's body). VS Code rebuilds a webview's frames
 * when its tab is hidden and shown again, so call this again after switching tabs rather than keeping a Frame.
 */
export async function webviewFrame(page: Page, title: string): Promise<Frame> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  let revealed = false;
  let visibleWebviews = 0;
  while (Date.now() < deadline) {
    const tab = page.locator('.tabs-container .tab', { hasText: title }).first();
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) }).first();
    let area: Box | null = null;
    if (await tab.isVisible().catch(() => false)) {
      // Bring the tab forward once; clicking it again on every poll would fight tests that move focus.
      if (!revealed) await tab.click().catch(() => undefined);
      revealed = true;
      const group = page.locator('.editor-group-container', { has: tab }).locator('.editor-container').first();
      area = await group.boundingBox().catch(() => null);
    } else if (await view.isVisible().catch(() => false)) {
      area = await view.locator('.pane-body').boundingBox().catch(() => null);
    }
    visibleWebviews = 0;
    for (const host of await page.locator('iframe.webview').elementHandles()) {
      const box = await host.boundingBox().catch(() => null);
      if (!box || box.width === 0 || !(await host.isVisible().catch(() => false))) continue;
      visibleWebviews++;
      if (!area || !contains(area, { x: box.x + box.width / 2, y: box.y + box.height / 2 })) continue;
      // The webview host navigates its inner frame while loading; a destroyed context just means "not yet".
      const inner = await innerWebviewFrame(host).catch(() => undefined);
      if (inner) return inner;
    }
    await page.waitForTimeout(200);
  }
  const offered = await page.locator('.tabs-container .tab .label-name').allInnerTexts().catch(() => []);
  throw new Error(
    `webviewFrame: no loaded webview under a tab or view titled "${title}" ` +
      `(tabs: ${offered.join(' | ') || 'none'}; visible webviews: ${visibleWebviews})`,
  );
}

function recordConsole(page: Page): void {
  const lines: string[] = [];
  consoleLines.set(page, lines);
  const keep = (line: string) => {
    lines.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (lines.length > CONSOLE_LINES_KEPT) lines.shift();
  };
  page.on('console', (message) => keep(`${message.type()} [${message.location().url.split('?')[0].slice(-60)}] ${message.text()}`));
  page.on('pageerror', (error) => keep(`pageerror ${error.message}`));
  page.on('framenavigated', (frame) => keep(`navigated ${frame.url().split('?')[0].slice(-80)}`));
}

/**
 * For a failed test: a screenshot plus the page's console (workbench and webview frames) and the state of every
 * webview frame, under test-results/screenshots/<name>.{png,console.log}.
 */
export async function recordFailure(page: Page, name: string): Promise<void> {
  const path = await screenshot(page, name);
  const frames: string[] = [];
  for (const frame of page.frames()) {
    if (!frame.url().includes('/webview/')) continue;
    const state = await frame
      .evaluate(() => {
        const { document } = globalThis as unknown as { document: { readyState: string; querySelector(s: string): unknown; body: { childElementCount: number } | null } };
        return `readyState=${document.readyState} active-frame=${!!document.querySelector('iframe#active-frame')} body-children=${document.body?.childElementCount ?? -1}`;
      })
      .catch((error: Error) => `unreadable (${error.message.split('\n')[0]})`);
    frames.push(`frame ${frame.url().split('?')[0].slice(-80)} ${state}`);
  }
  const log = [...(consoleLines.get(page) ?? []), '--- webview frames at failure ---', ...frames].join('\n');
  writeFileSync(path.replace(/\.png$/, '.console.log'), `${log}\n`);
}

/** Saves a PNG of the page under test-results/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path });
  return path;
}

// Code passed to evaluate() runs in the browser. The project's tsconfig has no DOM library (src/ must not use
// it), so these few shapes describe what that code touches.
interface DomNode {
  textContent: string | null;
}
interface DomElement extends DomNode {
  offsetTop: number;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}
interface BrowserGlobals {
  document: {
    readyState: string;
    body: { childElementCount: number } | null;
    createTreeWalker(root: DomElement, whatToShow: number): { nextNode(): DomNode | null };
    createRange(): {
      setStart(node: DomNode, offset: number): void;
      setEnd(node: DomNode, offset: number): void;
      getBoundingClientRect(): { left: number; top: number; width: number; height: number };
    };
  };
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function contains(box: Box, point: { x: number; y: number }): boolean {
  return point.x >= box.x && point.x <= box.x + box.width && point.y >= box.y && point.y <= box.y + box.height;
}

async function innerWebviewFrame(host: ElementHandle): Promise<Frame | undefined> {
  const outer = await host.contentFrame();
  const inner = await (await outer?.$('iframe#active-frame'))?.contentFrame();
  const loaded = await inner?.evaluate(() => {
    const { document } = globalThis as unknown as BrowserGlobals;
    return document.readyState === 'complete' && !!document.body?.childElementCount;
  });
  return loaded ? inner ?? undefined : undefined;
}

function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

function hoverWidget(page: Page): Locator {
  return page.locator('.monaco-editor .monaco-hover:not(.hidden)').filter({ visible: true }).first();
}

async function locateText(page: Page, text: string): Promise<{ x: number; y: number } | undefined> {
  return activeEditor(page)
    .locator('.view-lines')
    .evaluate((root: DomElement, needle) => {
      const { document } = globalThis as unknown as BrowserGlobals;
      const SHOW_TEXT = 0x4;
      for (const line of Array.from(root.querySelectorAll('.view-line'))) {
        const content = (line.textContent ?? '').replace(/\u00a0/g, ' ');
        const start = content.indexOf(needle);
        if (start < 0) continue;
        // Walk the token spans' text nodes to the character in the middle of the match.
        const middle = start + Math.floor(needle.length / 2);
        const walker = document.createTreeWalker(line, SHOW_TEXT);
        let offset = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent?.length ?? 0;
          if (middle < offset + length) {
            const range = document.createRange();
            range.setStart(node, middle - offset);
            range.setEnd(node, middle - offset + 1);
            const rect = range.getBoundingClientRect();
            return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
          }
          offset += length;
        }
      }
      return undefined;
    }, text);
}

async function revealWithFind(page: Page, text: string): Promise<void> {
  await activeEditor(page).click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+F');
  const input = page.locator('.editor-group-container.active .find-widget textarea, .editor-group-container.active .find-widget input').first();
  await waitFor(input, 'the Find widget', 5_000);
  await input.fill(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

async function waitFor(locator: Locator, what: string, timeout: number): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
  }
}

async function retry(what: string, attempts: number, action: () => Promise<void>): Promise<void> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await action();
      return;
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`could not ${what} after ${attempts} attempts: ${(lastError as Error).message}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'interp-review') return dir;
    if (dirname(dir) === dir) throw new Error(`harness: no interp-review package.json above ${start}`);
  }
}

/** Files (by relative path) written into a fresh temporary folder that the suite opens and removes afterwards. */
export interface TemporaryWorkspace {
  files: Record<string, string>;
}

/**
 * Mocha hooks for a suite that works in one workbench on `workspace`: code-server and the browser start before
 * the first test and stop after the last, and a failed test leaves a screenshot and the console log named
 * `<name>-failed-<test>`. Read `page` inside hooks and tests (it exists once `before` has run).
 */
export function useWorkbench(
  workspace: string | TemporaryWorkspace,
  name: string,
  options: { theme?: string } = {},
): { readonly page: Page } {
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let temporary: string | undefined;
  before(async () => {
    let folder: string;
    if (typeof workspace === 'string') folder = workspace;
    else {
      folder = temporary = mkdtempSync(join(tmpdir(), `interp-review-${name}-`));
      for (const [path, text] of Object.entries(workspace.files)) {
        mkdirSync(dirname(join(folder, path)), { recursive: true });
        writeFileSync(join(folder, path), text);
      }
    }
    server = await startCodeServer({ workspace: folder });
    workbench = await openWorkbench(server, options);
  });
  after(async () => {
    await workbench?.close();
    await server?.stop();
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) await recordFailure(workbench.page, `${name}-failed-${this.currentTest.title}`);
  });
  return {
    get page(): Page {
      if (!workbench) throw new Error('useWorkbench: the workbench is not open yet (read page inside a hook or test)');
      return workbench.page;
    },
  };
}

/** Waits until the active editor tab is `fileName` and the cursor is on 1-based `line` (per the status bar). */
export async function expectCursorAt(page: Page, fileName: string, line: number): Promise<void> {
  await page.locator(`.tabs-container .tab.active[aria-label*="${cssString(fileName)}"]`).waitFor({ state: 'visible', timeout: 15_000 });
  const selection = page.locator('.statusbar-item#status\\.editor\\.selection');
  const deadline = Date.now() + 10_000;
  let text = '';
  while (Date.now() < deadline) {
    text = (await selection.innerText().catch(() => '')).trim();
    if (new RegExp(`^Ln ${line},`).test(text)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`expected the cursor on line ${line} of ${fileName}, the status bar says "${text}"`);
}
