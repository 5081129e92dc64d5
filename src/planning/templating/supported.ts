/** What the deploy-time compiler supports, shared by the compiler and its error messages. */

/** Filters that can be applied to deploy-time values (any nunjucks filter works on static ones). */
export const DEPLOY_TIME_FILTERS: readonly string[] = [
  'join',
  'length',
  'upper',
  'lower',
  'default',
  'd',
  'trim',
  'replace',
  'first',
  'last',
  'indent',
  'reverse',
  'abs',
  'safe',
];
