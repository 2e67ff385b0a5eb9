export * from './lake-zone';
export * from './lakehouse-zones';
export * from './lifecycle';
export * from './perms';
export * from './principals';
