export * from './api';
export * from './call-names';
export * from './errors';
export * from './model';
