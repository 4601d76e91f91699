import type { NacosBody } from '../../sources/nacos/payload-codec';
import { NacosServerException } from './server-exception';
import type { ServerConnection } from './server-connection';

/** What a handler of the test server gets for one unary request. */
export interface HandlerContext {
  readonly conn: ServerConnection;
  readonly body: NacosBody;
  /** Case-insensitive header lookup (body headers overlaid by Metadata.headers, §9.3). */
  header(name: string): string | undefined;
}

/** Handles one request type, keyed by its Metadata.type (`InstanceRequest`, …). */
export interface RequestHandler {
  /** Metadata.type of the answer. */
  readonly responseType: string;
  /** Whether the access token is checked when auth is on (`@Secured`). */
  readonly secured: boolean;
  handle(ctx: HandlerContext): NacosBody | Promise<NacosBody>;
}

/** Reads an optional string field. */
export function optionalString(body: NacosBody, field: string): string | undefined {
  const v = body[field];
  return typeof v === 'string' ? v : undefined;
}

/** Reads a required string field, or throws the Java server's parameter error (400). */
export function requiredString(body: NacosBody, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw new NacosServerException(400, `Param check invalid:${field} must not be empty`, true);
  return v;
}

/** Throws a 400 in the handler's response type when `problem` is set. */
export function checkParam(field: string, problem: string | undefined): void {
  if (problem) throw new NacosServerException(400, `Param check invalid:${field} ${problem}`, true);
}
