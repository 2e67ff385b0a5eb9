export * from './acknowledge';
export * from './pattern-acknowledge';
