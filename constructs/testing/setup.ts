// Side-effect setup: list this file in jest's `setupFilesAfterEnv` to get
// `toAllowTraffic` and `toBeInternetAccessible` in every test file.
import { installButterMatchers } from './index';

installButterMatchers();
