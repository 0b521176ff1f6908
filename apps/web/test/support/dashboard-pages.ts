import type { OrderStatus } from '@ordertrack/shared';
import type { Page } from 'playwright-core';

/** How long any single DOM condition may take before the test fails; waits end as soon as it holds. */
export const UI_DEADLINE_MS = 15_000;

const byTestId = (testId: string) => `[data-testid="${testId}"]`;

export async function signUp(
  page: Page,
  baseUrl: string,
  user: { name: string; email: string; password: string },
): Promise<void> {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/customer', { timeout: UI_DEADLINE_MS });
}

export async function signIn(
  page: Page,
  baseUrl: string,
  user: { email: string; password: string },
  landing: string,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**${landing}`, { timeout: UI_DEADLINE_MS });
}

export async function waitForConnection(page: Page, state: 'connected' | 'offline' | 'reconnecting'): Promise<void> {
  await page.locator(`${byTestId('connection-state')}[data-state="${state}"]`).waitFor({ timeout: UI_DEADLINE_MS });
}

/** Fills the quantity inputs and places the order; returns the new order's id as the page shows it. */
export async function placeOrder(page: Page, quantities: Readonly<Record<string, number>>): Promise<string> {
  const before = await page.locator(`${byTestId('my-orders')} > li`).count();
  for (const [productId, qty] of Object.entries(quantities)) {
    await page.locator(byTestId(`qty-${productId}`)).fill(String(qty));
  }
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.locator(byTestId('order-placed')).waitFor({ timeout: UI_DEADLINE_MS });
  await page.waitForFunction(
    (count) => document.querySelectorAll('[data-testid="my-orders"] > li').length > count,
    before,
    {
      timeout: UI_DEADLINE_MS,
    },
  );
  const orderId = await page
    .locator(`${byTestId('my-orders')} > li`)
    .first()
    .getAttribute('data-order-id');
  if (orderId === null) throw new Error('the placed order has no data-order-id');
  return orderId;
}

export async function waitForCustomerStatus(page: Page, orderId: string, status: OrderStatus): Promise<void> {
  await page
    .locator(`${byTestId(`order-status-${orderId}`)}[data-status="${status}"]`)
    .waitFor({ timeout: UI_DEADLINE_MS });
  await page
    .locator(`${byTestId(`timeline-${orderId}`)} ${byTestId(`timeline-step-${status}`)}[data-reached="true"]`)
    .waitFor({ timeout: UI_DEADLINE_MS });
}

export async function customerStatus(page: Page, orderId: string): Promise<string | null> {
  return page.locator(byTestId(`order-status-${orderId}`)).getAttribute('data-status');
}

/** Clicks the admin's action button for `target` on the order's live-feed row and waits for the row to show it. */
export async function adminAdvance(page: Page, orderId: string, target: OrderStatus): Promise<void> {
  await page.locator(byTestId(`action-${orderId}-${target}`)).click();
  await page
    .locator(`${byTestId(`feed-status-${orderId}`)}[data-status="${target}"]`)
    .waitFor({ timeout: UI_DEADLINE_MS });
}

export async function adminActionTargets(page: Page, orderId: string): Promise<string[]> {
  const buttons = page.locator(`[data-testid^="action-${orderId}-"]`);
  const ids = await buttons.evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('data-testid') ?? ''),
  );
  return ids.map((id) => id.slice(`action-${orderId}-`.length));
}

export async function waitForStatCountAtLeast(page: Page, status: OrderStatus, minimum: number): Promise<void> {
  await page.waitForFunction(
    ({ testId, min }) => Number(document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? '0') >= min,
    { testId: `stat-count-${status}`, min: minimum },
    { timeout: UI_DEADLINE_MS },
  );
}
