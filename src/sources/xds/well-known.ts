import { invalidField } from './resources/resource-error';
import type { WireDuration, WireStruct, WireValue } from './wire-types';

/** Milliseconds of a Duration, undefined when unset. Throws when negative or out of range. */
export function durationMs(d: WireDuration | undefined, field: string): number | undefined {
  if (!d) return undefined;
  const seconds = Number(d.seconds ?? 0);
  const nanos = d.nanos ?? 0;
  if (!Number.isFinite(seconds) || seconds < 0 || nanos < 0 || nanos > 999_999_999 || seconds > 315_576_000_000) {
    throw invalidField(field, `invalid duration ${String(d.seconds ?? 0)}s ${nanos}ns`);
  }
  return seconds * 1000 + Math.floor(nanos / 1e6);
}

/** A google.protobuf.Value as plain JSON. */
export function valueToJson(v: WireValue | undefined): unknown {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.numberValue !== undefined) return v.numberValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.structValue !== undefined) return structToJson(v.structValue);
  if (v.listValue !== undefined) return (v.listValue.values ?? []).map(valueToJson);
  return null;
}

/** A google.protobuf.Struct as a plain JSON object. */
export function structToJson(s: WireStruct | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s?.fields ?? {})) out[k] = valueToJson(v);
  return out;
}

/** A plain JSON value as google.protobuf.Value. */
export function jsonToValue(v: unknown): WireValue {
  if (v === null || v === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(jsonToValue) } };
  return { structValue: jsonToStruct(v as Record<string, unknown>) };
}

/** A plain JSON object as google.protobuf.Struct. */
export function jsonToStruct(o: Record<string, unknown>): WireStruct {
  const fields: Record<string, WireValue> = {};
  for (const [k, v] of Object.entries(o)) fields[k] = jsonToValue(v);
  return { fields };
}

/** A Duration for a millisecond count. */
export function msToDuration(ms: number): WireDuration {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

/** Parts per million of an envoy.type.v3.FractionalPercent; throws on an unknown denominator. */
export function perMillion(
  fraction: { numerator?: number; denominator?: string | number } | undefined,
  field: string,
): number {
  const numerator = fraction?.numerator ?? 0;
  const scale = { HUNDRED: 10_000, TEN_THOUSAND: 100, MILLION: 1 }[String(fraction?.denominator ?? 'HUNDRED')];
  if (scale === undefined) throw invalidField(`${field}.denominator`, `unknown denominator ${String(fraction?.denominator)}`);
  return Math.min(1_000_000, numerator * scale);
}
