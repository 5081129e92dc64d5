/**
 * Just enough ASN.1 DER to write an X.509 certificate: each function returns the encoding of one
 * value (tag, length, content).
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A value with `tag` and the concatenated `content`. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

/** SEQUENCE. */
export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);

/** SET. */
export const setOf = (...items: Buffer[]): Buffer => tlv(0x31, ...items);

/** INTEGER from big-endian unsigned bytes (a leading zero keeps it positive). */
export function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** BOOLEAN true. */
export const TRUE = tlv(0x01, Buffer.from([0xff]));

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v & 0x7f));
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTF8String. */
export const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));

/** UTCTime (valid for years 1950–2049). */
export function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return tlv(0x17, Buffer.from(`${text}Z`, 'ascii'));
}

/** BIT STRING with no unused bits unless given. */
export const bitString = (bytes: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.from([unusedBits]), bytes);

/** OCTET STRING. */
export const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes);

/** Context-specific constructed tag `[n]`. */
export const explicit = (n: number, ...content: Buffer[]): Buffer => tlv(0xa0 + n, ...content);
