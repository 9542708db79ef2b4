/* tslint:disable */
/* eslint-disable */
export * from './AnalyticsApi';
export * from './BulkJobsApi';
export * from './CodesApi';
export * from './FoldersAndTagsApi';
export * from './LandingPagesApi';
export * from './UsageApi';
export * from './WebhooksApi';
