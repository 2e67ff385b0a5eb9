export * from './acknowledge';
export * from './pattern-acknowledge';
export * from './decisions';
export * from './packs';
