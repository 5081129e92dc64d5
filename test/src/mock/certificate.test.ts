import { X509Certificate } from 'node:crypto';
import { generateServerCertificate } from '../../../src/mock/plugin/certificate';

/** The AutoMTLS server certificate, checked with node's own X.509 parser. */
describe('server certificate', () => {
  test('is a self-signed ECDSA P-256 CA for localhost, valid now, for server and client auth', () => {
    const now = new Date();
    const cert = generateServerCertificate(now);
    const x = new X509Certificate(cert.der);
    expect(x.subject).toContain('CN=localhost');
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.ca).toBe(true);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(x.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(new Date(x.validFrom).getTime()).toBeLessThanOrEqual(now.getTime());
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(now.getTime() + 86_400_000);
    expect(new X509Certificate(cert.certPem).fingerprint256).toBe(x.fingerprint256);
    expect(cert.keyPem).toContain('BEGIN PRIVATE KEY');
  });

  test('every certificate is new', () => {
    expect(generateServerCertificate().der.equals(generateServerCertificate().der)).toBe(false);
  });
});
