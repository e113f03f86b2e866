// What the rest of the service sees of the store: the aggregate interfaces, their types and the
// domain errors, whichever engine runs (src/store/sqlite/, src/store/postgres/).
export * from './store';
export * from './errors';
export * from './keyset';
export * from './identity';
export * from './invitations';
export * from './sessions';
export * from './projects';
export * from './apiKeys';
export * from './usage';
export * from './idempotency';
export * from './events';
export * from './webhooks';
export * from './rateLimits';
