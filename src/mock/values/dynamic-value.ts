import { fromJson, fromMsgpack, pack, toWire, unpack } from './codec';
import { Shape } from './shape';
import { isObjectValue, ObjectValue, Value } from './value';

/**
 * `tfplugin6.DynamicValue`: how every resource value travels. Terraform sends msgpack (JSON only in
 * rare cases) and expects msgpack back.
 */

/** A DynamicValue message as received. */
export interface DynamicValueMessage {
  readonly msgpack?: Uint8Array | null;
  readonly json?: Uint8Array | null;
}

/**
 * The object a DynamicValue holds, conformed to `shape` (a resource's or data source's block);
 * null for a null or absent value.
 */
export function decodeDynamicValue(dv: DynamicValueMessage | null | undefined, shape: Shape): ObjectValue | null {
  let value: Value = null;
  if (dv?.msgpack && dv.msgpack.length > 0) value = fromMsgpack(unpack(dv.msgpack), shape);
  else if (dv?.json && dv.json.length > 0) value = fromJson(JSON.parse(Buffer.from(dv.json).toString('utf8')), shape);
  if (value !== null && !isObjectValue(value)) throw new Error('expected an object value');
  return value;
}

/** A value as a msgpack DynamicValue, conforming to `shape`. */
export function encodeDynamicValue(value: Value, shape: Shape): { msgpack: Buffer } {
  return { msgpack: pack(toWire(value, shape)) };
}
