export * from './codes.ts';
export * from './communes.ts';
export * from './i18n/index.ts';
export * from './limits.ts';
export * from './parquet.ts';
export * from './plan.ts';
export * from './submission.ts';
export * from './validate.ts';
