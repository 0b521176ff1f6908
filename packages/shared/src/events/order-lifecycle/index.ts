export * from './order-lifecycle-event.js';
