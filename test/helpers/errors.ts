import { ButterError } from '../../src/errors';

/**
 * The ButterError `fn` throws, for assertions on its code, key and hint. Anything else thrown
 * propagates, and throwing nothing fails the test: an error test must not pass by accident.
 */
export function butterErrorOf(fn: () => unknown): ButterError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ButterError) return e;
    throw e;
  }
  throw new Error('expected a ButterError');
}

/** {@link butterErrorOf} for a promise. */
export async function butterErrorOfAsync(promise: Promise<unknown>): Promise<ButterError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ButterError) return e;
    throw e;
  }
  throw new Error('expected a ButterError');
}
