// Debian's Chromium, driven by playwright-core, as every browser test and the benchmark launch it: headless,
// no sandbox (containers), nothing that reaches the network on its own. Playwright gives every launch a fresh
// temporary profile.
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
