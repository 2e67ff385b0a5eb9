/** The curated-model layer, shared by the infrastructure, the runner function and the local CLI. */
export * from './syntax';
export * from './spec';
export * from './layout';
export * from './sql';
export * from './checks';
