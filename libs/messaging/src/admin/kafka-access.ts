import { KAFKA_ACCESS, KafkaPrincipalAccess, namespaced, ResourceName } from '@niryat/contracts';
import { AclEntry, AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, ResourcePatternTypes } from 'kafkajs';

/** One ACL as Kafka stores it: allow `principal` to do `operation` on a topic or group name. */
export interface AclBinding {
  principal: string;
  resource: 'topic' | 'group';
  name: string;
  pattern: ResourceName['pattern'];
  operation: 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE';
}

/**
 * The ACLs a principal of the declaration gets (all allow, any host):
 * - a topic it writes: WRITE and DESCRIBE, and CREATE for a service (it creates its own topics and
 *   dead-letter topics when missing); WRITE on a topic also lets its idempotent producer start;
 * - a topic it reads: READ and DESCRIBE;
 * - a consumer group: READ (which implies DESCRIBE).
 * Nothing else: no cluster-wide right, no wildcard, no DELETE or ALTER.
 */
export function aclBindingsOf(access: KafkaPrincipalAccess, namespace?: string): AclBinding[] {
  const principal = `User:${access.principal}`;
  const on = (resource: AclBinding['resource'], name: ResourceName, operations: AclBinding['operation'][]) =>
    operations.map((operation): AclBinding => ({ principal, resource, ...namespaced(name, namespace), operation }));
  const bindings = [
    ...access.writes.flatMap((name) => on('topic', name, access.kind === 'service' ? ['WRITE', 'DESCRIBE', 'CREATE'] : ['WRITE', 'DESCRIBE'])),
    ...access.reads.flatMap((name) => on('topic', name, ['READ', 'DESCRIBE'])),
    ...access.groups.flatMap((name) => on('group', name, ['READ'])),
  ];
  // A topic both written and read (a service's own dead letters) gets DESCRIBE once.
  return [...new Map(bindings.map((b) => [`${b.resource}\u0000${b.name}\u0000${b.pattern}\u0000${b.operation}`, b])).values()];
}

/** Every ACL of the declaration (libs/contracts/src/kafka-access.ts) under a topic namespace. */
export function declaredAcls(namespace?: string): AclBinding[] {
  return KAFKA_ACCESS.flatMap((access) => aclBindingsOf(access, namespace));
}

const toKafkajs = (binding: AclBinding): AclEntry => ({
  principal: binding.principal,
  host: '*',
  resourceType: binding.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
  resourceName: binding.name,
  resourcePatternType: binding.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
  operation: AclOperationTypes[binding.operation],
  permissionType: AclPermissionTypes.ALLOW,
});

/**
 * Creates the declaration's ACLs under `namespace` through an admin allowed to (a super user).
 * Creating an ACL that exists is a no-op, so this runs at every start; an ACL no longer declared is
 * not removed here (see `staleAcls`).
 */
export async function applyDeclaredAcls(admin: Admin, namespace?: string, { timeoutMs = 15_000 } = {}): Promise<AclBinding[]> {
  const bindings = declaredAcls(namespace);
  await admin.createAcls({ acl: bindings.map(toKafkajs) });
  // The controller commits them to the metadata log; the broker authorizes with them once it has
  // applied that log. Until describeAcls (answered from the broker's authorizer) shows every one, a
  // client could still be refused.
  const wanted = new Set(bindings.map(keyOf));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ALLOW,
    });
    const present = new Set(
      described.resources.flatMap((r) =>
        r.acls.map((acl) => `${acl.principal}\u0000${r.resourceType === AclResourceTypes.TOPIC ? 'topic' : 'group'}\u0000${r.resourceName}\u0000${r.resourcePatternType === ResourcePatternTypes.LITERAL ? 'literal' : 'prefixed'}\u0000${OPERATION_NAMES.get(acl.operation) ?? acl.operation}`),
      ),
    );
    const missing = [...wanted].filter((key) => !present.has(key));
    if (missing.length === 0) return bindings;
    if (Date.now() > deadline) throw new Error(`${missing.length} of ${wanted.size} ACLs not in force after ${timeoutMs} ms, e.g. ${missing[0].split('\u0000').join(' ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** kafkajs' operation codes by number (its AclOperationTypes maps names to numbers only). */
const OPERATION_NAMES = new Map<number, string>(Object.entries(AclOperationTypes).map(([name, code]) => [code as number, name]));

const keyOf = (b: AclBinding) => `${b.principal}\u0000${b.resource}\u0000${b.name}\u0000${b.pattern}\u0000${b.operation}`;

/** The SCRAM users the declaration needs: every principal, plus the operators' `admin`. */
export function declaredPrincipals(): string[] {
  return ['admin', ...KAFKA_ACCESS.map((access) => access.principal)];
}
