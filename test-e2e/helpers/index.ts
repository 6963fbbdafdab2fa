/** Everything an e2e test needs, in one import: `from './helpers'`. */
export * from './agentmail';
export * from './browser';
export * from './env';
export * from './n8nApi';
export * from './webhook';
export * from './canary';
export * from './sandboxAdmin';
export * from './workflows';
export * from './n8nProcess';
