import axe from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * Runs axe on the page as it stands and returns its serious and critical findings, one line per
 * element (rule, where, and axe's own explanation, such as the contrast it measured), so a failing
 * test says what to fix.
 */
export async function seriousAccessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the browser's debugging protocol: the page's own script policy does not apply.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const result = await run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(' '),
        why: [...node.any, ...node.all, ...node.none].map((check) => check.message).join('; '),
      })),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id} at ${node.target}: ${node.why}`));
}
