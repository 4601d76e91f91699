export * from './endpoint';
export * from './cluster';
export * from './route-table';
export * from './listener';
export * from './mesh-snapshot';
