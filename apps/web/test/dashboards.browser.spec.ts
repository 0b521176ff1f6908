import { ORDER_TRANSITIONS } from '@ordertrack/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import {
  adminActionTargets,
  adminAdvance,
  customerStatus,
  placeOrder,
  signIn,
  signUp,
  UI_DEADLINE_MS,
  waitForConnection,
  waitForCustomerStatus,
  waitForStatCountAtLeast,
} from './support/dashboard-pages';
import { Screenshots } from './support/screenshots';
import { ADMIN, startServer, type RunningServer, type ServerMode } from './support/server-process';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

// The README's screenshots come from the embedded run; the full run proves the same journey on Kafka, Elasticsearch,
// PostgreSQL and Redis (search and analytics then answered by Elasticsearch, pushes through Kafka).
const MODES: readonly ServerMode[] = ['embedded', 'full'];

describe.each(MODES)('customer and admin dashboards in a real browser (%s mode)', (mode) => {
  const shots = new Screenshots(mode);
  let server: RunningServer;
  let browser: Browser;
  let customerContext: BrowserContext;
  let adminContext: BrowserContext;
  let customer: Page;
  let admin: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(mode), launchChromium()]);
    customerContext = await browser.newContext({ viewport: DESKTOP });
    adminContext = await browser.newContext({ viewport: DESKTOP });
    customer = await customerContext.newPage();
    admin = await adminContext.newPage();
    for (const page of [customer, admin]) page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  let deliveredOrderId = '';

  it('signs a new customer up and validates the order form inline', async () => {
    await customer.goto(server.baseUrl);
    await customer.waitForURL('**/sign-in');
    await signUp(customer, server.baseUrl, {
      name: 'Ada Customer',
      email: `ada-${Date.now()}@example.com`,
      password: 'correct-horse',
    });
    await waitForConnection(customer, 'connected');

    await customer.getByRole('button', { name: 'Place order' }).click();
    await expect(customer.locator('[data-testid="order-form-error"]').textContent()).resolves.toContain(
      'at least one item',
    );

    await customer.locator('[data-testid="qty-CUP-003"]').fill('2.5');
    await customer.getByRole('button', { name: 'Place order' }).click();
    await expect(customer.locator('#qty-CUP-003-error').textContent()).resolves.toMatch(/Quantity/);
    await customer.locator('[data-testid="qty-CUP-003"]').fill('');
  });

  it('lets the admin move the order through its lifecycle while the customer watches live', async () => {
    deliveredOrderId = await placeOrder(customer, { 'ESP-001': 2, 'CUP-003': 1 });
    await waitForCustomerStatus(customer, deliveredOrderId, 'CREATED');

    await signIn(admin, server.baseUrl, ADMIN, '/admin');
    await waitForConnection(admin, 'connected');
    await admin.locator(`[data-testid="feed-row-${deliveredOrderId}"]`).waitFor({ timeout: UI_DEADLINE_MS });
    expect(await adminActionTargets(admin, deliveredOrderId)).toEqual([...ORDER_TRANSITIONS.CREATED]);

    for (const status of ['ACCEPTED', 'PREPARED', 'SHIPPED', 'DELIVERED'] as const) {
      await adminAdvance(admin, deliveredOrderId, status);
      await waitForCustomerStatus(customer, deliveredOrderId, status);
      expect(await adminActionTargets(admin, deliveredOrderId)).toEqual([...ORDER_TRANSITIONS[status]]);
    }
    await waitForStatCountAtLeast(admin, 'DELIVERED', 1);
  });

  it('catches the customer up on changes made while their connection was down', async () => {
    const orderId = await placeOrder(customer, { 'GRN-002': 1, 'FLT-004': 3 });
    await admin.locator(`[data-testid="feed-row-${orderId}"]`).waitFor({ timeout: UI_DEADLINE_MS });

    await customerContext.setOffline(true);
    await waitForConnection(customer, 'offline');
    await adminAdvance(admin, orderId, 'ACCEPTED');
    await adminAdvance(admin, orderId, 'PREPARED');
    expect(await customerStatus(customer, orderId)).toBe('CREATED');

    await customerContext.setOffline(false);
    await waitForConnection(customer, 'connected');
    await waitForCustomerStatus(customer, orderId, 'PREPARED');

    await adminAdvance(admin, orderId, 'CANCELED');
    await waitForCustomerStatus(customer, orderId, 'CANCELED');
    await waitForStatCountAtLeast(admin, 'CANCELED', 1);
  });

  it('explains refused status changes: a stale version (412) and a disallowed transition (409)', async () => {
    const orderId = await placeOrder(customer, { 'KTL-005': 1, 'SCL-006': 1 });
    await admin.locator(`[data-testid="feed-row-${orderId}"]`).waitFor({ timeout: UI_DEADLINE_MS });
    await adminAdvance(admin, orderId, 'ACCEPTED');
    const error = admin.locator(`[data-testid="action-error-${orderId}"]`);

    // As if the admin's view were older than the server's: the request carries version 1 while the order is at 2.
    await admin.route(
      '**/orders/*/status',
      (route) => route.continue({ headers: { ...route.request().headers(), 'if-match': '"1"' } }),
      { times: 1 },
    );
    await admin.locator(`[data-testid="action-${orderId}-PREPARED"]`).click();
    await error.filter({ hasText: 'changed this order' }).waitFor({ timeout: UI_DEADLINE_MS });

    // A transition the lifecycle table does not allow, which the buttons never offer: ACCEPTED → DELIVERED.
    await admin.route(
      '**/orders/*/status',
      (route) => route.continue({ postData: JSON.stringify({ status: 'DELIVERED' }) }),
      {
        times: 1,
      },
    );
    await admin.locator(`[data-testid="action-${orderId}-PREPARED"]`).click();
    await error.filter({ hasText: 'Not allowed' }).waitFor({ timeout: UI_DEADLINE_MS });
    expect(await customerStatus(customer, orderId)).toBe('ACCEPTED');

    await adminAdvance(admin, orderId, 'PREPARED');
    await waitForCustomerStatus(customer, orderId, 'PREPARED');
    expect(await error.count()).toBe(0);
  });

  it('finds the delivered order through admin search and shows its full timeline', async () => {
    await waitForStatCountAtLeast(admin, 'PREPARED', 1);
    await shots.take(admin, 'admin-overview-desktop');
    await shots.take(customer, 'customer-dashboard-desktop');

    await admin.getByRole('link', { name: 'Search' }).click();
    await admin.getByRole('checkbox', { name: 'Delivered' }).check();
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    await admin
      .getByRole('link', { name: `Open order ${deliveredOrderId.slice(0, 8)}` })
      .waitFor({ timeout: UI_DEADLINE_MS });
    await shots.take(admin, 'admin-search-desktop');

    await admin.getByRole('link', { name: `Open order ${deliveredOrderId.slice(0, 8)}` }).click();
    await admin.locator('[data-testid="detail-status"][data-status="DELIVERED"]').waitFor({ timeout: UI_DEADLINE_MS });
    const reached = admin.locator(`[data-testid="timeline-${deliveredOrderId}"] [data-reached="true"]`);
    await admin.waitForFunction(
      (selector) => document.querySelectorAll(selector).length === 5,
      `[data-testid="timeline-${deliveredOrderId}"] [data-reached="true"]`,
      { timeout: UI_DEADLINE_MS },
    );
    expect(await reached.count()).toBe(5);
  });

  it('stays usable at phone width', async () => {
    await customer.setViewportSize(PHONE);
    await shots.take(customer, 'customer-dashboard-phone');
    const overflow = await customer.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    await admin.getByRole('link', { name: 'Overview' }).click();
    await waitForStatCountAtLeast(admin, 'DELIVERED', 1);
    await admin.setViewportSize(PHONE);
    await shots.take(admin, 'admin-overview-phone');
    if (mode === 'embedded') await shots.publish();
  });

  it('sends the customer back to sign-in when the token is refused or they sign out', async () => {
    await customer.setViewportSize(DESKTOP);
    await customer.evaluate(() => {
      const stored = JSON.parse(sessionStorage.getItem('ordertrack.session') ?? '{}') as { accessToken?: string };
      sessionStorage.setItem('ordertrack.session', JSON.stringify({ ...stored, accessToken: 'no.longer.valid' }));
    });
    await customer.reload();
    await customer.waitForURL('**/sign-in', { timeout: UI_DEADLINE_MS });
    await customer
      .locator('[data-testid="sign-out-notice"]', { hasText: 'session has ended' })
      .waitFor({ timeout: UI_DEADLINE_MS });

    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.waitForURL('**/sign-in', { timeout: UI_DEADLINE_MS });
    expect(pageErrors).toEqual([]);
  });
});
