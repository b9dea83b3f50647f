import 'reflect-metadata';
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { columns, parseArgs } from './cli-support';
import { applyDeclaredAcls, declaredAcls, declaredPrincipals } from './kafka-access';

const USAGE = `npm run kafka-access -- <command> [--namespace NS]

Who may do what on Kafka, from the one declaration in libs/contracts/src/kafka-access.ts.

  principals   the SCRAM users the declaration needs, one per line (the local infra makes them)
  acls         the ACLs it declares, as a table
  apply        creates them on the broker of KAFKA_BROKERS, as a super user: KAFKA_SASL_USERNAME
               with KAFKA_SASL_PASSWORD_FILE (or KAFKA_SASL_PASSWORD) and KAFKA_SSL_CA over
               SASL_SSL, or plaintext where the local broker makes its plaintext listener super user
  --namespace  a topic namespace in front of every topic and group name (KAFKA_TOPIC_NAMESPACE)`;

async function main(argv: readonly string[]): Promise<number> {
  const { command, flags } = parseArgs(argv, [], USAGE);
  const namespace = flags.get('namespace') ?? process.env.KAFKA_TOPIC_NAMESPACE ?? undefined;
  switch (command) {
    case 'principals':
      process.stdout.write(`${declaredPrincipals().join('\n')}\n`);
      return 0;
    case 'acls':
      process.stdout.write(`${columns(['principal', 'resource', 'name', 'pattern', 'operation'], declaredAcls(namespace).map((b) => [b.principal, b.resource, b.name, b.pattern, b.operation]))}\n`);
      return 0;
    case 'apply': {
      const brokers = process.env.KAFKA_BROKERS;
      if (!brokers) throw new Error(`KAFKA_BROKERS is not set\n${USAGE}`);
      const env = process.env;
      const password = env.KAFKA_SASL_PASSWORD_FILE ? readFileSync(env.KAFKA_SASL_PASSWORD_FILE, 'utf8').trim() : env.KAFKA_SASL_PASSWORD;
      const kafka = new Kafka({
        clientId: 'niryat-kafka-access',
        brokers: brokers.split(','),
        logLevel: logLevel.NOTHING,
        ssl: env.KAFKA_SSL_CA ? { ca: readFileSync(env.KAFKA_SSL_CA, 'utf8') } : undefined,
        sasl: env.KAFKA_SASL_USERNAME && password ? { mechanism: 'scram-sha-512', username: env.KAFKA_SASL_USERNAME, password } : undefined,
      });
      const admin = kafka.admin();
      await admin.connect();
      try {
        const applied = await applyDeclaredAcls(admin, namespace);
        process.stdout.write(`${applied.length} ACLs in force${namespace ? ` for namespace ${namespace}` : ''}\n`);
      } finally {
        await admin.disconnect();
      }
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kafka-access: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
