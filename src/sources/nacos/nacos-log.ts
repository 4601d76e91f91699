import { debuglog } from 'node:util';

/** Log levels of the Nacos source. */
export type NacosLogLevel = 'debug' | 'info' | 'warn';

/**
 * Receives the Nacos source's log lines. Messages never contain tokens or passwords. The default
 * writes to `NODE_DEBUG=sidecarless`.
 */
export type NacosLogger = (level: NacosLogLevel, message: string) => void;

const trace = debuglog('sidecarless');

/** The default logger: `NODE_DEBUG=sidecarless` tracing. */
export const defaultNacosLogger: NacosLogger = (level, message) => trace('nacos %s: %s', level, message);
