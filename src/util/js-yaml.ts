/**
 * The one door to js-yaml (see zod.ts beside it for why): the build bundles the names exported
 * here into this module's JavaScript in dist/, from js-yaml's single-file ES module, so an
 * installed Butter loads one file instead of js-yaml's 25 (about 6 ms instead of 17).
 */
export { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
export type { LoadOptions, Schema } from 'js-yaml';
