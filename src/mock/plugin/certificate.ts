import * as crypto from 'node:crypto';
import { bitString, explicit, integer, octetString, oid, sequence, setOf, tlv, TRUE, utcTime, utf8 } from './der';

/**
 * The self-signed server certificate for go-plugin's AutoMTLS, built with node:crypto alone.
 *
 * Terraform 1.11 passes its own client certificate in `PLUGIN_CLIENT_CERT` and accepts only a
 * plugin that answers with a certificate in the handshake line; it then verifies the connection
 * against exactly that certificate, for the server name `localhost`. So: ECDSA P-256, subject and
 * SAN `localhost`, usable for server and client auth, a CA (it is its own root), short-lived.
 */

/** A key pair and its certificate. */
export interface ServerCertificate {
  /** The certificate, DER. The handshake line carries it as unpadded base64. */
  readonly der: Buffer;
  readonly certPem: string;
  readonly keyPem: string;
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

/** Generate a fresh certificate (about a millisecond). */
export function generateServerCertificate(now: Date = new Date()): ServerCertificate {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = sequence(
    setOf(sequence(oid('2.5.4.10'), utf8('Butter mock cloud'))),
    setOf(sequence(oid('2.5.4.3'), utf8('localhost'))),
  );
  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive and without leading zero byte
  const extensions = sequence(
    // keyUsage (critical): digitalSignature, keyEncipherment, keyAgreement, keyCertSign
    sequence(oid('2.5.29.15'), TRUE, octetString(bitString(Buffer.from([0xac]), 2))),
    // extKeyUsage: serverAuth, clientAuth
    sequence(oid('2.5.29.37'), octetString(sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2')))),
    // basicConstraints (critical): CA
    sequence(oid('2.5.29.19'), TRUE, octetString(sequence(TRUE))),
    // subjectAltName: DNS localhost
    sequence(oid('2.5.29.17'), octetString(sequence(tlv(0x82, Buffer.from('localhost', 'ascii'))))),
  );
  const toBeSigned = sequence(
    explicit(0, integer(Buffer.from([2]))), // X.509 v3
    integer(serial),
    ECDSA_WITH_SHA256,
    name,
    sequence(utcTime(new Date(now.getTime() - 60_000)), utcTime(new Date(now.getTime() + 7 * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, extensions),
  );
  const signature = crypto.sign('sha256', toBeSigned, privateKey);
  const der = sequence(toBeSigned, ECDSA_WITH_SHA256, bitString(signature));
  return {
    der,
    certPem: pem('CERTIFICATE', der),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
