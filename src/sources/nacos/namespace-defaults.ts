/**
 * Namespace defaults of Nacos 2.x (nacos-protocol §4, §8 check 23, §9.1–9.2), shared by the
 * client and the in-repo server so both read a namespace the same way.
 */

/** The naming namespace a client uses when none is configured (Java `DEFAULT_NAMESPACE_ID`). */
export const DEFAULT_NAMESPACE = 'public';

const PUBLIC = DEFAULT_NAMESPACE;
const NULL_TEXT = 'null';

/**
 * The config tenant a namespace stands for, as Nacos 2.x config handlers normalise it
 * (`NamespaceUtil.processNamespaceParameter`, checked against alibaba/nacos 2.5.1): absent, blank,
 * `public` and `null` in any letter case are the default namespace `""`; anything else is
 * trimmed, after the comparison as on the server (`" public "` is a namespace `public`). Config
 * listens are keyed by the raw tenant (§9.2), so a client must send this
 * normalised value everywhere, or its listens miss notifications for the default namespace.
 */
export function configTenant(tenant: unknown): string {
  if (typeof tenant !== 'string') return '';
  const lower = tenant.toLowerCase();
  return lower === PUBLIC || lower === NULL_TEXT ? '' : tenant.trim();
}
