/**
 * Extension points whose shape may still change between minor versions: custom sources and
 * balancers.
 * @packageDocumentation
 */
export type { Source, SourceEvents, TargetStatus, SnapshotChange } from './sources/source';
export type { ClusterBalancer, EndpointPick, ClusterPickFailure } from './balancing/balancer';
export { StaticSource } from './sources/static/static-source';
export * from './balancing/index';
export { parseServiceRules, serviceRulesToModel, subsetClusterName } from './sources/file/service-rules';
export type { ServiceRules } from './sources/file/service-rules';
export { FileSource } from './sources/file/file-source';
export type { FileSourceOptions, FileSourceClock } from './sources/file/file-source';
export { XdsSource } from './sources/xds/xds-source';
export type { XdsSourceOptions } from './sources/xds/xds-source';
export type { BackoffOptions } from './sources/xds/backoff';
export type { XdsBootstrap, XdsServerConfig, XdsNodeConfig, XdsChannelCreds } from './sources/xds/bootstrap';
export type { ResourceDump, ResourceStatus } from './sources/xds/xds-client';
export { NacosSource, NACOS_CLIENT_VERSION, ruleDataId } from './sources/nacos/nacos-source';
export type { NacosSourceOptions, NacosRegistration } from './sources/nacos/nacos-source-options';
export type { NacosServerEntry } from './sources/nacos/server-address';
export type { NacosRpcTiming } from './sources/nacos/nacos-rpc-client';
export type { Clock, TimerHandle } from './clock';
export { systemClock } from './clock';
export type { NacosLogger, NacosLogLevel } from './sources/nacos/nacos-log';
export { NacosConfigClient, NacosConfigError } from './sources/nacos/config-client';
export type { NacosConfig, ConfigListener, PublishConfigOptions } from './sources/nacos/config-client';
export type { ConfigKey } from './sources/nacos/nacos-messages';
export { endpointWeight, NACOS_WEIGHT_SCALE } from './sources/nacos/instance-endpoints';
