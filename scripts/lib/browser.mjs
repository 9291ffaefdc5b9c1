// Debian's Chromium driven by playwright-core: Playwright's own browser download cannot work offline.
import { chromium } from 'playwright-core';
import { which } from './system-deps.mjs';

// Without these, Chromium keeps trying to reach Google services that this network refuses.
const QUIET_NETWORK_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-gpu',
];

export function chromiumPath() {
  const path = process.env.INTERP_REVIEW_CHROMIUM || which('chromium') || which('chromium-browser');
  if (!path) throw new Error('Chromium not found: install Debian package chromium or set INTERP_REVIEW_CHROMIUM');
  return path;
}

/** @param {{ headless?: boolean }} [options] */
export function launchChromium(options = {}) {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: options.headless ?? process.env.INTERP_REVIEW_HEADED !== '1',
    args: QUIET_NETWORK_FLAGS,
  });
}
