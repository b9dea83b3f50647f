'use strict';
// Certificates for the local servers' TLS: one certificate authority per infrastructure dir, and
// one server certificate (127.0.0.1 and localhost) that the Kafka SASL_SSL listener and PostgreSQL
// present. Made with openssl once; clients trust <dir>/tls/ca.crt. For local and test use only:
// a real cluster's certificates come from Strimzi, cert-manager or the database's operator.

const fs = require('node:fs');
const path = require('node:path');
const proc = require('./proc');

const DAYS_CA = 3650;
const DAYS_SERVER = 825;

function tlsPaths(infraDir) {
  const dir = path.join(infraDir, 'tls');
  return {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    serverCert: path.join(dir, 'server.crt'),
    serverKey: path.join(dir, 'server.key'),
    /** Key and certificate chain in one PEM file: Kafka's `ssl.keystore.type=PEM` keystore. */
    serverPem: path.join(dir, 'server-keystore.pem'),
    marker: path.join(dir, '.complete'),
  };
}

async function openssl(args, cwd) {
  const result = await proc.run('openssl', args, { cwd, timeoutMs: 60000 }).catch((err) => {
    throw err.code === 'ENOENT' ? new Error('openssl is not on PATH; it makes the local TLS certificates (apt-get install openssl)') : err;
  });
  if (result.code !== 0) throw new Error(`openssl ${args[0]} failed:\n${result.output}`);
}

/** Makes the CA and the server certificate once (a half-made set is made again); returns their paths. */
async function ensureCertificates(infraDir) {
  const p = tlsPaths(infraDir);
  if (fs.existsSync(p.marker)) return p;
  fs.rmSync(p.dir, { recursive: true, force: true });
  fs.mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p.caKey, '-out', p.caCert, '-days', String(DAYS_CA),
    '-subj', '/CN=Niryat local CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], p.dir);
  const csr = path.join(p.dir, 'server.csr');
  const ext = path.join(p.dir, 'server.ext');
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p.serverKey, '-out', csr, '-subj', '/CN=localhost'], p.dir);
  fs.writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n');
  await openssl(['x509', '-req', '-in', csr, '-CA', p.caCert, '-CAkey', p.caKey, '-CAcreateserial', '-out', p.serverCert, '-days', String(DAYS_SERVER), '-extfile', ext], p.dir);
  fs.writeFileSync(p.serverPem, fs.readFileSync(p.serverKey, 'utf8') + fs.readFileSync(p.serverCert, 'utf8') + fs.readFileSync(p.caCert, 'utf8'), { mode: 0o600 });
  for (const file of [p.caKey, p.serverKey]) fs.chmodSync(file, 0o600);
  fs.rmSync(csr, { force: true });
  fs.rmSync(ext, { force: true });
  fs.writeFileSync(p.marker, `${new Date().toISOString()}\n`);
  return p;
}

module.exports = { ensureCertificates, tlsPaths };
