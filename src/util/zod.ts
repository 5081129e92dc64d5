/**
 * The one door to zod: every schema of Butter's inputs (blueprints, workspace files, tester state)
 * is written with these functions of `zod/mini`, the functional form of zod.
 *
 * Why a door, and why the mini form: classic zod hangs every method on every schema, so loading
 * it loads all of zod (95 modules, its 40 locales among them: about 70 ms of a 600 ms cold
 * start). The mini form is plain functions, so the build (scripts/build.js) can bundle just the
 * ones named here into this module's JavaScript in dist/: an installed Butter then loads one small
 * file (about 5 ms) and never zod's own. The sources and the tests use zod itself, through here.
 *
 * Add a function here before using it elsewhere; a name not exported here is not in the build.
 */
export {
  array,
  boolean,
  discriminatedUnion,
  gt,
  int,
  literal,
  maxLength,
  maximum,
  minLength,
  minimum,
  NEVER,
  nullable,
  number,
  optional,
  pipe,
  positive,
  record,
  refine,
  regex,
  registry,
  strictObject,
  string,
  superRefine,
  transform,
  union,
  unknown,
} from 'zod/mini';
// `enum` is a reserved word: exported under its own name all the same (`z.enum(...)`).
export { enum } from 'zod/mini';
export type { output, ZodMiniType } from 'zod/mini';
export type { $RefinementCtx, $ZodIssue, $ZodIssueTooBig, $ZodIssueTooSmall, $ZodType } from 'zod/v4/core';
