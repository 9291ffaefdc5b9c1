// Shared by the panel e2e suites.
import type { Frame, Page } from 'playwright-core';
import { webviewFrame } from './harness';

interface PageDocument {
  body: { getAttribute(name: string): string | null } | null;
  querySelector(selector: string): { textContent: string | null } | null;
}

/**
 * The document of our panel `view` (for the Paper panel: of `key`). `webviewFrame` brings the tab forward and
 * waits for a loaded webview; several may be visible side by side, so the frame is then picked by content.
 */
export async function panelFrame(page: Page, title: string, view: string, key = ''): Promise<Frame> {
  await webviewFrame(page, title);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const found = await frame
        .evaluate(
          ([wanted, wantedKey]) => {
            const { document } = globalThis as unknown as { document: PageDocument };
            if (document.body?.getAttribute('data-view') !== wanted) return false;
            return !wantedKey || document.querySelector('.key code')?.textContent === `@${wantedKey}`;
          },
          [view, key] as const,
        )
        .catch(() => false);
      if (found) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no ${view} panel${key ? ` for ${key}` : ''} among the page's frames`);
}


/**
 * The panel's frame once `selector` shows in it. The host replaces a webview whose page never started (see
 * panelBase), so a detached frame just means "look again".
 */
export async function panelFrameWith(page: Page, title: string, view: string, selector: string, timeoutMs = 45_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const frame = await panelFrame(page, title, view);
      await frame.locator(selector).first().waitFor({ state: 'attached', timeout: 5_000 });
      return frame;
    } catch (error) {
      lastError = error;
      // A panel restored after a window reload loads its page only once its tab is shown, as for a user.
      await page.locator('.tabs-container .tab', { hasText: title }).first().click({ timeout: 2_000 }).catch(() => undefined);
    }
  }
  throw new Error(`no ${selector} in the ${view} panel: ${(lastError as Error)?.message}`);
}
