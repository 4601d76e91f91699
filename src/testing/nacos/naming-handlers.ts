import {
  clusterProblem,
  groupProblem,
  ipProblem,
  metadataProblem,
  namespaceProblem,
  portProblem,
  serviceNameProblem,
} from '../../sources/nacos/name-rules';
import type { NacosInstance } from '../../sources/nacos/nacos-messages';
import { successBody } from '../../sources/nacos/nacos-response';
import type { NacosBody } from '../../sources/nacos/payload-codec';
import { NamingRegistry } from './naming-registry';
import { checkParam, optionalString, requiredString, type HandlerContext, type RequestHandler } from './request-handler';
import { NacosServerException } from './server-exception';

interface ServiceRef {
  namespace: string;
  group: string;
  service: string;
}

/** The raw namespace (no server-side default, §9.1), group (default DEFAULT_GROUP) and service. */
function serviceRef(body: NacosBody): ServiceRef {
  // Java concatenates a null namespace as "null": a request without namespace is another namespace.
  const namespace = optionalString(body, 'namespace') ?? 'null';
  const group = optionalString(body, 'groupName') || 'DEFAULT_GROUP';
  const service = requiredString(body, 'serviceName');
  // The Java parameter checker skips a blank namespace: `""` is accepted (as its own namespace).
  if (namespace !== 'null' && namespace.trim() !== '') checkParam('namespaceId', namespaceProblem(namespace));
  checkParam('groupName', groupProblem(group));
  checkParam('serviceName', serviceNameProblem(service));
  return { namespace, group, service };
}

/** Rule N1: ephemeral naming operations need a connection whose setup said module=naming. */
function requireNamingClient(ctx: HandlerContext): void {
  if (ctx.conn.info?.labels['module'] !== 'naming') {
    throw new NacosServerException(-401, `Client [${ctx.conn.connectionId}] connection already disconnect, can't register ephemeral instance.`);
  }
}

function readInstance(value: unknown, field: string): Partial<NacosInstance> & { ip: string; port: number } {
  if (!value || typeof value !== 'object') throw new NacosServerException(400, `Param check invalid:${field} must be an object`, true);
  const i = value as Record<string, unknown>;
  if (typeof i['ip'] !== 'string') throw new NacosServerException(400, `Param check invalid:${field}.ip must be a string`, true);
  checkParam(`${field}.ip`, ipProblem(i['ip']));
  const port = typeof i['port'] === 'number' ? i['port'] : NaN;
  checkParam(`${field}.port`, portProblem(port));
  const clusterName = typeof i['clusterName'] === 'string' && i['clusterName'] !== '' ? i['clusterName'] : 'DEFAULT';
  checkParam(`${field}.clusterName`, clusterProblem(clusterName));
  const metadata: Record<string, string> = {};
  if (i['metadata'] && typeof i['metadata'] === 'object') {
    for (const [k, v] of Object.entries(i['metadata'] as Record<string, unknown>)) if (typeof v === 'string') metadata[k] = v;
  }
  checkParam(`${field}.metadata`, metadataProblem(metadata));
  return {
    ip: i['ip'],
    port,
    clusterName,
    metadata,
    ...(typeof i['weight'] === 'number' ? { weight: i['weight'] } : {}),
    ...(typeof i['healthy'] === 'boolean' ? { healthy: i['healthy'] } : {}),
    ...(typeof i['enabled'] === 'boolean' ? { enabled: i['enabled'] } : {}),
    ...(typeof i['instanceId'] === 'string' ? { instanceId: i['instanceId'] } : {}),
    ...(typeof i['ephemeral'] === 'boolean' ? { ephemeral: i['ephemeral'] } : {}),
  };
}

/** Handlers of the naming requests (nacos-protocol §3.2), keyed by Metadata.type. */
export function namingHandlers(registry: NamingRegistry): Map<string, RequestHandler> {
  const handlers = new Map<string, RequestHandler>();

  handlers.set('InstanceRequest', {
    responseType: 'InstanceResponse',
    secured: true,
    handle(ctx) {
      const ref = serviceRef(ctx.body);
      const op = optionalString(ctx.body, 'type');
      if (op === 'registerInstance') {
        requireNamingClient(ctx);
        const inst = NamingRegistry.normalise(readInstance(ctx.body['instance'], 'instance'), ref.group, ref.service, true);
        registry.publish(ref.namespace, ref.group, ref.service, ctx.conn.connectionId, [inst], true);
      } else if (op === 'deregisterInstance') {
        // Deregistering from an unknown service succeeds even without a naming client (§9.6).
        if (registry.instances(ref.namespace, ref.group, ref.service).length > 0) requireNamingClient(ctx);
        registry.publish(ref.namespace, ref.group, ref.service, ctx.conn.connectionId, [], true);
      } else {
        throw new NacosServerException(400, `Unsupported request type ${String(op)}`);
      }
      return successBody({ type: op });
    },
  });

  handlers.set('BatchInstanceRequest', {
    responseType: 'BatchInstanceResponse',
    secured: true,
    handle(ctx) {
      const ref = serviceRef(ctx.body);
      const op = optionalString(ctx.body, 'type');
      if (op !== 'batchRegisterInstance') throw new NacosServerException(400, `Unsupported request type ${String(op)}`);
      requireNamingClient(ctx);
      const raw = Array.isArray(ctx.body['instances']) ? (ctx.body['instances'] as unknown[]) : [];
      const list = raw.map((v, n) => readInstance(v, `instances[${n}]`));
      if (list.some((i) => i.ephemeral === false)) {
        throw new NacosServerException(400, 'Batch registration only supports ephemeral instances', true);
      }
      const instances = list.map((i) => NamingRegistry.normalise(i, ref.group, ref.service, true));
      registry.publish(ref.namespace, ref.group, ref.service, ctx.conn.connectionId, instances, true);
      return successBody({ type: op });
    },
  });

  handlers.set('PersistentInstanceRequest', {
    responseType: 'InstanceResponse',
    secured: true,
    handle(ctx) {
      const ref = serviceRef(ctx.body);
      const op = optionalString(ctx.body, 'type');
      const inst = NamingRegistry.normalise(readInstance(ctx.body['instance'], 'instance'), ref.group, ref.service, false);
      // Rule N4: persistent instances are keyed by ip:port, not by connection.
      const others = registry
        .published(ref.namespace, ref.group, ref.service, 'persistent')
        .filter((i) => !(i.ip === inst.ip && i.port === inst.port));
      if (op === 'registerInstance') others.push(inst);
      else if (op !== 'deregisterInstance') throw new NacosServerException(400, `Unsupported request type ${String(op)}`);
      registry.publish(ref.namespace, ref.group, ref.service, 'persistent', others, false);
      return successBody({ type: op });
    },
  });

  handlers.set('SubscribeServiceRequest', {
    responseType: 'SubscribeServiceResponse',
    secured: true,
    handle(ctx) {
      const ref = serviceRef(ctx.body);
      requireNamingClient(ctx);
      const clusters = optionalString(ctx.body, 'clusters') ?? '';
      // A Java boolean field: absent is false, i.e. an unsubscribe.
      const subscribe = ctx.body['subscribe'] === true;
      registry.subscribe(ctx.conn, ref.namespace, ref.group, ref.service, clusters, subscribe);
      return successBody({ message: 'success', serviceInfo: registry.serviceInfo(ref.namespace, ref.group, ref.service, clusters) });
    },
  });

  handlers.set('ServiceQueryRequest', {
    responseType: 'QueryServiceResponse',
    secured: true,
    handle(ctx) {
      const ref = serviceRef(ctx.body);
      const cluster = optionalString(ctx.body, 'cluster') ?? '';
      const healthyOnly = ctx.body['healthyOnly'] === true;
      return successBody({ serviceInfo: registry.serviceInfo(ref.namespace, ref.group, ref.service, cluster, healthyOnly) });
    },
  });

  handlers.set('ServiceListRequest', {
    responseType: 'ServiceListResponse',
    secured: true,
    handle(ctx) {
      const namespace = optionalString(ctx.body, 'namespace') ?? 'null';
      const group = optionalString(ctx.body, 'groupName') || 'DEFAULT_GROUP';
      const pageNo = typeof ctx.body['pageNo'] === 'number' ? Math.max(1, ctx.body['pageNo']) : 1;
      const pageSize = typeof ctx.body['pageSize'] === 'number' ? Math.max(1, ctx.body['pageSize']) : 10;
      const names = registry.serviceNames(namespace, group);
      return successBody({ count: names.length, serviceNames: names.slice((pageNo - 1) * pageSize, pageNo * pageSize) });
    },
  });

  return handlers;
}
