export * from './naming';
export * from './object-created';
export * from './event-delivery-role';
export * from './domain-event-bus';
