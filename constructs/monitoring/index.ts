export * from './alarm-topic';
export * from './alarms';
export * from './dashboards';
export * from './facade';
export * from './metrics';
export * from './naming';
export * from './thresholds';
