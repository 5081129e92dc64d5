import { ButterError } from '../../../src/errors';
import {
  GOOGLE_LABEL_VALUE_PATTERN,
  GOOGLE_NAME_PATTERN,
  googleLabelValue,
  googleName,
  GoogleNameBook,
} from '../../../src/planning/google-names';

describe('googleName', () => {
  test('names that are already valid stay exactly as they are (readable)', () => {
    expect(googleName(['dev', 'web'])).toBe('dev-web');
    expect(googleName(['dev', 'web', 'from-lb-tcp-80'])).toBe('dev-web-from-lb-tcp-80');
    expect(googleName(['a'.repeat(63)])).toBe('a'.repeat(63));
  });

  test.each([
    [['Dev', 'Web']],
    [['dev', 'api_v2']],
    [['dev', 'web.internal']],
    [['1st', 'web']],
    [['dev', 'Ünïcødé service']],
    [['dev', 'trailing-']],
    [['---', '___']],
    [['dev', 'x'.repeat(200)]],
    [['dev', `${'Web_'.repeat(50)}!`]],
  ])('%j becomes a valid name of at most 63 characters', (parts) => {
    const name = googleName(parts);
    expect(name).toMatch(GOOGLE_NAME_PATTERN);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  test('names that had to change end in a hash of the original, so clean-ups never collide', () => {
    expect(googleName(['dev', 'Web'])).toMatch(/^dev-web-[0-9a-f]{8}$/);
    const variants = [['dev', 'web'], ['dev', 'Web'], ['dev', 'WEB'], ['dev', 'web_'], ['dev', 'we b'], ['Dev', 'web']];
    const names = variants.map((p) => googleName(p));
    expect(new Set(names).size).toBe(variants.length);
  });

  test('stable: the same parts always give the same name, whatever else exists', () => {
    const long = 's'.repeat(200);
    const first = googleName(['dev', long, '0']);
    googleName(['dev', 'other']);
    expect(googleName(['dev', long, '0'])).toBe(first);
    // The exact value, so a change of algorithm (which would rename, i.e. replace, every
    // deployed resource) is a deliberate decision.
    expect(googleName(['dev', 'Web'])).toBe('dev-web-4b09ef2a');
  });

  test('a 200-character service name: every per-instance name is distinct, valid and ≤ 63', () => {
    const svc = 'Service_'.repeat(25); // 200 characters, with upper case and underscores
    expect(svc).toHaveLength(200);
    const names = Array.from({ length: 50 }, (_, i) => googleName(['dev', svc, String(i)]));
    expect(new Set(names).size).toBe(50);
    for (const n of names) {
      expect(n).toMatch(GOOGLE_NAME_PATTERN);
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n.startsWith('dev-service-service-')).toBe(true); // still readable
    }
  });

  test('maxLength: shorter limits (base instance name 58, template prefix 36) are honoured', () => {
    for (const max of [58, 36, 11]) {
      const name = googleName(['dev', 'x'.repeat(100)], { maxLength: max });
      expect(name.length).toBeLessThanOrEqual(max);
      expect(name).toMatch(GOOGLE_NAME_PATTERN);
    }
    expect(googleName(['dev', 'web'], { maxLength: 36 })).toBe('dev-web');
    expect(() => googleName(['x'], { maxLength: 5 })).toThrow(RangeError);
    expect(() => googleName(['x'], { maxLength: 64 })).toThrow(RangeError);
  });

  test('how the parts are split matters to the hash (["a-b","C"] vs ["a","b-C"])', () => {
    expect(googleName(['a-b', 'C'])).not.toBe(googleName(['a', 'b-C']));
  });
});

describe('googleLabelValue', () => {
  test('valid values stay; others are cleaned, capped at 63 and hashed', () => {
    expect(googleLabelValue('dev')).toBe('dev');
    expect(googleLabelValue('api_v2')).toBe('api_v2');
    for (const v of ['Web', 'a.b', 'x'.repeat(200), 'Ünïcødé']) {
      const out = googleLabelValue(v);
      expect(out).toMatch(GOOGLE_LABEL_VALUE_PATTERN);
    }
    expect(googleLabelValue('Web')).not.toBe(googleLabelValue('web'));
  });
});

describe('GoogleNameBook', () => {
  test('the same holder may claim again; another holder of the same kind and name may not', () => {
    const book = GoogleNameBook.of({}, 'p');
    expect(book.claim('firewall', 'dev-x', 'a')).toBe('dev-x');
    expect(book.claim('firewall', 'dev-x', 'a')).toBe('dev-x');
    expect(book.claim('subnetwork', 'dev-x', 'b')).toBe('dev-x'); // another name space
    let error: unknown;
    try {
      book.claim('firewall', 'dev-x', 'b');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ButterError);
    expect(error).toMatchObject({ code: 'GOOGLE_NAME_COLLISION', constructPath: 'b' });
  });

  test('one book per app and project', () => {
    const app = {};
    expect(GoogleNameBook.of(app, 'p')).toBe(GoogleNameBook.of(app, 'p'));
    expect(GoogleNameBook.of(app, 'q')).not.toBe(GoogleNameBook.of(app, 'p'));
    expect(GoogleNameBook.of({}, 'p')).not.toBe(GoogleNameBook.of(app, 'p'));
  });
});
