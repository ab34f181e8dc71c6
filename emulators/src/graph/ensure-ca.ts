/**
 * The Graph stand-in serves HTTPS (`@azure/identity` refuses an http authority). Its certificate authority is
 * made once and kept in `.sandbox/tls/` so that processes started with NODE_EXTRA_CA_CERTS trust it across
 * restarts. Run this file with tsx to create the files if missing; it prints the CA path.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  dir: string;
  caFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const defaultTlsDir = join(repoRoot, '.sandbox', 'tls');

const FILES = { ca: 'ca.pem', caKey: 'ca-key.pem', cert: 'localhost.pem', key: 'localhost-key.pem' } as const;

function readMaterial(dir: string): TlsMaterial | undefined {
  const paths = Object.values(FILES).map((name) => join(dir, name));
  if (!paths.every((path) => existsSync(path))) return undefined;
  const certPem = readFileSync(join(dir, FILES.cert), 'utf8');
  // A leaf close to expiry is treated as missing so that it gets made again.
  const validTo = Date.parse(new X509Certificate(certPem).validTo);
  if (validTo - Date.now() < 24 * 3600 * 1000) return undefined;
  return {
    dir,
    caFile: join(dir, FILES.ca),
    caPem: readFileSync(join(dir, FILES.ca), 'utf8'),
    certPem,
    keyPem: readFileSync(join(dir, FILES.key), 'utf8'),
  };
}

async function createMaterial(dir: string, existingCa?: { cert: string; key: string }) {
  const now = new Date();
  const ca: { cert: string; key: string } =
    existingCa ??
    (await generate([{ name: 'commonName', value: 'Teams Bridge local stand-in CA' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - 3600_000),
      notAfterDate: new Date(now.getTime() + 10 * 365 * 24 * 3600_000),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    }).then((pems) => ({ cert: pems.cert, key: pems.private })));
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 3600_000),
    notAfterDate: new Date(now.getTime() + 825 * 24 * 3600_000),
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  // Written into a fresh directory and renamed into place, so that two processes racing here never leave
  // a leaf signed by one CA next to the other's CA.
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(join(dirname(dir), '.tls-'));
  writeFileSync(join(staging, FILES.ca), ca.cert);
  writeFileSync(join(staging, FILES.caKey), ca.key, { mode: 0o600 });
  writeFileSync(join(staging, FILES.cert), leaf.cert);
  writeFileSync(join(staging, FILES.key), leaf.private, { mode: 0o600 });
  if (existingCa) rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // someone else won the race: use theirs
  }
}

/** Returns the CA and the localhost leaf, creating them (once) when missing. */
export async function ensureTls(dir: string = defaultTlsDir): Promise<TlsMaterial> {
  const found = readMaterial(dir);
  if (found) return found;
  let existingCa: { cert: string; key: string } | undefined;
  if (existsSync(join(dir, FILES.ca)) && existsSync(join(dir, FILES.caKey))) {
    existingCa = {
      cert: readFileSync(join(dir, FILES.ca), 'utf8'),
      key: readFileSync(join(dir, FILES.caKey), 'utf8'),
    };
  } else if (existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true }); // incomplete leftovers
  }
  await createMaterial(dir, existingCa);
  const made = readMaterial(dir);
  if (!made)
    throw new Error(`Could not create the TLS files in ${dir}; check that the directory is writable.`);
  return made;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const material = await ensureTls(process.argv[2] ? resolve(process.argv[2]) : defaultTlsDir);
  console.log(material.caFile);
}
