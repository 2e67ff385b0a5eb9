export * from './naming';
export * from './event-delivery-role';
export * from './domain-event-bus';
