/**
 * Entry point of the mock cloud process: `plugin <name>` or `daemon <name>…` (see launch/run.ts).
 * Run through the esbuild bundle (launch/bundle.ts) for speed, or directly with
 * `node --import tsx src/mock/main.ts`.
 */
import { BUILTIN_PROVIDERS } from './catalog';
import { runMain } from './launch/run';

runMain(process.argv.slice(2), BUILTIN_PROVIDERS).catch((e: unknown) => {
  process.stderr.write(`butter mock cloud: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
