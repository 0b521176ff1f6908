import { inParallel, ApiClient, type Customer } from './api-client.js';
import { AppInstance } from './app-instance.js';
import { closeAll, connectMany, onPush, type OrdersSocket } from './order-sockets.js';
import { waitForPipelineIdle } from './pipeline-idle.js';
import { progress } from './progress.js';
import type { Scale } from './scale.js';
import { UpdateDriver } from './update-driver.js';

/**
 * One running instance of the app and the clients the push phases share: `owners` customers with one socket each
 * (their orders are the ones updated), idle sockets of one more customer who never gets a push, and a buyer without
 * sockets who places the order-creation phase's orders (so its pushes reach nobody).
 */
export class ModeSession {
  readonly api: ApiClient;
  readonly owners: Customer[] = [];
  readonly ownerSockets = new Map<string, OrdersSocket>();
  idleSockets: OrdersSocket[] = [];
  idleCustomer!: Customer;
  buyer!: Customer;
  adminToken!: string;
  driver!: UpdateDriver;

  constructor(readonly app: AppInstance) {
    this.api = new ApiClient(app.baseUrl);
  }

  /** Registers customers (each registration is one scrypt hash, so they are few) and connects their sockets. */
  async prepare(scale: Scale): Promise<void> {
    this.adminToken = await this.api.loginAdmin();
    this.owners.push(...(await inParallel(Array.from({ length: scale.owners }), 4, () => this.api.registerCustomer())));
    this.idleCustomer = await this.api.registerCustomer();
    this.buyer = await this.api.registerCustomer();
    this.driver = new UpdateDriver(this.api, this.adminToken);
    const sockets = await connectMany(
      this.app.baseUrl,
      this.owners.map((owner) => owner.token),
    );
    this.owners.forEach((owner, index) => this.ownerSockets.set(owner.userId, sockets[index] as OrdersSocket));
    onPush(sockets, (event) => this.driver.recordPush(event));
    progress(`${this.owners.length} customers registered, their sockets connected`);
  }

  /**
   * Enough orders for `updates` more status changes, then the pipeline idle again: a timed phase must not start
   * while the relay, the fan-out and the indexer still work off what the previous phase (or these orders) left.
   */
  async ensureUpdates(updates: number): Promise<void> {
    const missing = updates - this.driver.remainingUpdates;
    if (missing > 0) {
      const orders = Math.ceil(missing / 4);
      progress(`placing ${orders} orders for the update phases`);
      await this.driver.placeOrders(this.owners, orders);
    }
    const settling = performance.now();
    await waitForPipelineIdle(this.app.baseUrl);
    const waited = performance.now() - settling;
    if (waited > 1000) progress(`  the pipeline caught up after ${(waited / 1000).toFixed(1)} s`);
  }

  async connectIdle(count: number): Promise<void> {
    const tokens = Array.from({ length: count }, () => this.idleCustomer.token);
    this.idleSockets.push(...(await connectMany(this.app.baseUrl, tokens)));
  }

  get connectedSockets(): number {
    return [...this.ownerSockets.values(), ...this.idleSockets].filter((socket) => socket.connected).length;
  }

  async close(): Promise<void> {
    closeAll([...this.ownerSockets.values(), ...this.idleSockets]);
    await this.api.close();
    await this.app.stop();
  }
}
