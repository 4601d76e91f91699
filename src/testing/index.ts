/**
 * Embedded control planes for tests, demos and local development: a Nacos-2.x-compatible server
 * (and, with the xDS work, an xDS control plane), all on loopback.
 * @packageDocumentation
 */
export * from './nacos-server';
