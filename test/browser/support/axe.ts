import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Makes axe-core available in every page of the context. It is added by the browser's debugging
 * protocol before the page's own scripts, not as a <script> element, so the portal's CSP (no inline
 * scripts) stays exactly as it is in production.
 */
export async function installAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
}

/** axe-core's serious and critical violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Runs in the page; the tests' tsconfig has no DOM types, so the page's globals are described here.
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as {
      axe: { run(context: unknown): Promise<{ violations: AxeViolation[] }> };
      document: unknown;
    };
    const result = await page.axe.run(page.document);
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** How far the page is wider than the window (0: no sideways scrolling at this width). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
    ).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}
