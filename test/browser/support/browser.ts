import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, as scripts/test.mjs installs it (CHROMIUM_BIN), or where Debian puts it. */
const EXECUTABLE = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

/** Flags for a quiet, reproducible headless run: no GPU, no sandbox (CI runs as root), no phoning home. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where the screenshots of a run are kept (gitignored), one folder per run. */
export const ARTEFACTS_DIR =
  process.env.BROWSER_ARTEFACTS_DIR || path.join(process.cwd(), 'test-artefacts', 'browser');

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Saves a full-page screenshot as `<n>-<name>.png`; returns its path. */
  screenshot(name: string): Promise<string>;
  /** Content-Security-Policy violations and page errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** Chromium with a fresh profile, a phone-sized window and the page's language. */
export async function launchBrowser(options: {
  locale: string;
  width: number;
  height: number;
  run: string;
}): Promise<Browser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: EXECUTABLE,
    headless: true,
    args: FLAGS,
    locale: options.locale,
    viewport: { width: options.width, height: options.height },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  const dir = path.join(ARTEFACTS_DIR, options.run);
  fs.mkdirSync(dir, { recursive: true });
  let shots = 0;
  return {
    context,
    page,
    problems,
    screenshot: async (name) => {
      const file = path.join(dir, `${String(++shots).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
