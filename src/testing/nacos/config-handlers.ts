import { dataIdProblem, groupProblem } from '../../sources/nacos/name-rules';
import type { ConfigKey } from '../../sources/nacos/nacos-messages';
import { failureBody, successBody } from '../../sources/nacos/nacos-response';
import type { NacosBody } from '../../sources/nacos/payload-codec';
import type { ConfigRegistry } from './config-registry';
import { checkParam, optionalString, requiredString, type RequestHandler } from './request-handler';

function configRef(body: NacosBody): { dataId: string; group: string; tenant: string | undefined } {
  const dataId = requiredString(body, 'dataId');
  const group = requiredString(body, 'group');
  checkParam('dataId', dataIdProblem(dataId));
  checkParam('group', groupProblem(group));
  return { dataId, group, tenant: optionalString(body, 'tenant') };
}

/** Handlers of the config requests (nacos-protocol §3.3), keyed by Metadata.type. */
export function configHandlers(registry: ConfigRegistry): Map<string, RequestHandler> {
  const handlers = new Map<string, RequestHandler>();

  handlers.set('ConfigQueryRequest', {
    responseType: 'ConfigQueryResponse',
    secured: true,
    handle(ctx) {
      const ref = configRef(ctx.body);
      const c = registry.get(ref.dataId, ref.group, ref.tenant);
      if (!c) return failureBody(300, 'config data not exist', { fields: { lastModified: 0, beta: false } });
      return successBody({ content: c.content, contentType: c.type, md5: c.md5, lastModified: c.lastModified, beta: false });
    },
  });

  handlers.set('ConfigBatchListenRequest', {
    responseType: 'ConfigChangeBatchListenResponse',
    secured: true,
    handle(ctx) {
      const listen = ctx.body['listen'] !== false;
      const raw = Array.isArray(ctx.body['configListenContexts']) ? (ctx.body['configListenContexts'] as unknown[]) : [];
      const contexts: Array<ConfigKey & { md5: string }> = [];
      for (const v of raw) {
        const c = (v ?? {}) as NacosBody;
        const ref = configRef(c);
        contexts.push({ dataId: ref.dataId, group: ref.group, tenant: ref.tenant ?? '', md5: optionalString(c, 'md5') ?? '' });
      }
      const changedConfigs = registry.listen(ctx.conn.connectionId, contexts, listen);
      return successBody({ changedConfigs: listen ? changedConfigs : [] });
    },
  });

  handlers.set('ConfigPublishRequest', {
    responseType: 'ConfigPublishResponse',
    secured: true,
    handle(ctx) {
      const ref = configRef(ctx.body);
      const content = requiredString(ctx.body, 'content');
      const addition = (ctx.body['additionMap'] ?? {}) as Record<string, unknown>;
      const type = typeof addition['type'] === 'string' ? addition['type'] : undefined;
      const casMd5 = optionalString(ctx.body, 'casMd5');
      if (!registry.publish(ref.dataId, ref.group, ref.tenant, content, type, casMd5)) {
        return failureBody(500, 'Cas publish fail, server md5 may have changed.');
      }
      return successBody();
    },
  });

  handlers.set('ConfigRemoveRequest', {
    responseType: 'ConfigRemoveResponse',
    secured: true,
    handle(ctx) {
      const ref = configRef(ctx.body);
      registry.remove(ref.dataId, ref.group, ref.tenant);
      return successBody();
    },
  });

  return handlers;
}
