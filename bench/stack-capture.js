/**
 * Diagnostic preload for profile.ts (`node -r ./stack-capture.js child.js ...`), never used in
 * the timed runs. cdktf records the full call stack (no depth limit) every time it creates a
 * token, which profiles show as its largest single cost; this makes that visible:
 *
 *   BENCH_STACK_CAPTURE=count  count the captures and their depth, report on exit (stderr, JSON)
 *   BENCH_STACK_CAPTURE=off    make them free (return no frames), to time the rest
 *
 * It patches cdktf's internal module, which its callers read at call time.
 */
const stackTrace = require('cdktf/lib/tokens/private/stack-trace.js');

const mode = process.env.BENCH_STACK_CAPTURE;
const original = stackTrace.captureStackTrace;

if (mode === 'off') {
  stackTrace.captureStackTrace = () => [];
} else if (mode === 'count') {
  let captures = 0;
  let frames = 0;
  let chars = 0;
  stackTrace.captureStackTrace = function counted(below) {
    const lines = original(below || counted);
    captures++;
    frames += lines.length;
    for (const l of lines) chars += l.length;
    return lines;
  };
  process.on('exit', () => {
    process.stderr.write(`STACK_CAPTURE ${JSON.stringify({ captures, meanFrames: frames / captures, meanChars: chars / captures })}\n`);
  });
}
