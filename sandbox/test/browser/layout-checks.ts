import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

// Runs in the page (plain JS: this project compiles without the DOM library).
const FIND_TRUNCATED_BODY = `
  const found = [];
  const visit = (node) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot);
      // Assistive text is clipped to 1 px on purpose; hidden elements say nothing.
      if (el.closest('.slds-assistive-text') || !el.offsetParent) continue;
      const ownText = [...el.childNodes]
        .filter((child) => child.nodeType === Node.TEXT_NODE)
        .map((child) => child.textContent)
        .join('')
        .trim();
      if (!ownText) continue;
      const style = getComputedStyle(el);
      const hides = style.textOverflow === 'ellipsis' || style.overflowX === 'hidden' || style.overflowX === 'clip';
      if (hides && el.scrollWidth > el.clientWidth + 1) found.push(ownText);
    }
  };
  if (root.shadowRoot) visit(root.shadowRoot);
  visit(root);
  return found;
`;
// Playwright sends a function to the page as its source text; one built from a string is sent the same way.
const findTruncated = new Function('root', FIND_TRUNCATED_BODY) as (root: unknown) => string[];

/**
 * Text a user needs that the layout cuts off: an element whose own text overflows its box while its overflow is
 * hidden (an ellipsis, or a clip). Walks every (synthetic) shadow root, since the components render in them.
 */
export async function truncatedTexts(page: Page, rootSelector: string): Promise<string[]> {
  return page.locator(rootSelector).first().evaluate(findTruncated);
}

export async function assertNothingTruncated(page: Page, rootSelector: string, state: string): Promise<void> {
  assert.deepEqual(await truncatedTexts(page, rootSelector), [], `text cut off on ${state}`);
}

/** The record page's main column at `width` px, as a Lightning record page gives it (about 600-800 px). */
export async function setRecordColumn(page: Page, width: number): Promise<void> {
  await page.addStyleTag({ content: `.wb-record-main { flex: 0 0 ${width}px; max-width: ${width}px; }` });
}

/** A Lightning tab spans the window: the workbench's simulation panel stays out of the way. */
export async function hideSimulation(page: Page): Promise<void> {
  await page.addStyleTag({ content: '.wb-sim { display: none; }' });
}
