import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * The emulator's TLS material: a private CA and a server certificate for 127.0.0.1/localhost signed by it,
 * made with node:crypto (P-256 keys, ECDSA-SHA256) and a small DER encoder for the X.509 structures, so a
 * fresh machine needs neither openssl nor a package. Files live in a cert directory and are reused while
 * they are valid:
 *
 *   ca.pem  ca-key.pem  server.pem  server-key.pem
 */
export interface TlsMaterial {
  /** PEM of the server certificate followed by nothing else. */
  cert: string;
  key: string;
  /** PEM of the certificate clients should trust. */
  caCert: string;
  caCertPath: string;
  certPath: string;
  keyPath: string;
}

// ---- DER ---------------------------------------------------------------------------------------------

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const octets = (content: Buffer) => tlv(0x04, content);
const bits = (content: Buffer, unusedBits = 0) => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));
const bool = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
const explicit = (n: number, content: Buffer) => tlv(0xa0 | n, content);

function integer(value: Buffer | number): Buffer {
  let bytes = typeof value === "number" ? Buffer.from([value]) : value;
  while (bytes.length > 1 && bytes[0] === 0 && (bytes[1] & 0x80) === 0) bytes = bytes.subarray(1);
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, "").replace(/\.\d+Z$/, "Z"); // YYYYMMDDHHMMSSZ
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), "ascii")) : tlv(0x18, Buffer.from(iso, "ascii"));
}

const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  serverAuth: "1.3.6.1.5.5.7.3.1",
};

function name(commonName: string): Buffer {
  return seq(set(seq(oid(OID.organization), utf8("azure-restores emulator"))), set(seq(oid(OID.commonName), utf8(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

function keyIdentifier(publicKey: crypto.KeyObject): Buffer {
  return crypto.createHash("sha1").update(publicKey.export({ type: "spki", format: "der" })).digest();
}

interface CertificateRequest {
  subject: string;
  publicKey: crypto.KeyObject;
  issuer: string;
  issuerKey: crypto.KeyObject;
  issuerPublicKey: crypto.KeyObject;
  isCa: boolean;
  days: number;
  hosts?: { dns: string[]; ips: string[] };
}

function ipBytes(ip: string): Buffer {
  if (ip.includes(":")) {
    const [head, tail] = ip.split("::");
    const h = head ? head.split(":") : [];
    const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
    const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    return Buffer.from(groups.flatMap((g) => [(parseInt(g, 16) >> 8) & 0xff, parseInt(g, 16) & 0xff]));
  }
  return Buffer.from(ip.split(".").map(Number));
}

function certificate(req: CertificateRequest): string {
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(Date.now() + req.days * 24 * 3600 * 1000);
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f;
  const extensions = [
    extension(OID.basicConstraints, true, req.isCa ? seq(bool(true), integer(0)) : seq()),
    // CA: digitalSignature, keyCertSign, cRLSign (0x86, 1 unused bit); server: digitalSignature (0x80, 7 unused bits)
    extension(OID.keyUsage, true, req.isCa ? bits(Buffer.from([0x86]), 1) : bits(Buffer.from([0x80]), 7)),
    extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(req.publicKey))),
    extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, keyIdentifier(req.issuerPublicKey)))),
  ];
  if (!req.isCa) {
    extensions.push(extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))));
    const names = [...(req.hosts?.dns ?? []).map((d) => tlv(0x82, Buffer.from(d, "ascii"))), ...(req.hosts?.ips ?? []).map((ip) => tlv(0x87, ipBytes(ip)))];
    extensions.push(extension(OID.subjectAltName, false, seq(...names)));
  }
  const tbs = seq(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    name(req.issuer),
    seq(time(notBefore), time(notAfter)),
    name(req.subject),
    req.publicKey.export({ type: "spki", format: "der" }),
    explicit(3, seq(...extensions)),
  );
  const signature = crypto.sign("sha256", tbs, req.issuerKey);
  const der = seq(tbs, algorithm, bits(signature));
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

// ---- files -------------------------------------------------------------------------------------------

const FILES = { ca: "ca.pem", caKey: "ca-key.pem", cert: "server.pem", key: "server-key.pem" } as const;
const HOSTS = { dns: ["localhost"], ips: ["127.0.0.1", "::1"] };

function generate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const server = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const caName = `azure-restores emulator CA ${crypto.randomBytes(4).toString("hex")}`;
  const caPem = certificate({ subject: caName, publicKey: ca.publicKey, issuer: caName, issuerKey: ca.privateKey, issuerPublicKey: ca.publicKey, isCa: true, days: 3650 });
  const serverPem = certificate({
    subject: "127.0.0.1",
    publicKey: server.publicKey,
    issuer: caName,
    issuerKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    isCa: false,
    days: 825,
    hosts: HOSTS,
  });
  const pkcs8 = (k: crypto.KeyObject) => k.export({ type: "pkcs8", format: "pem" }).toString();
  fs.writeFileSync(path.join(dir, FILES.ca), caPem, { mode: 0o644 });
  fs.writeFileSync(path.join(dir, FILES.caKey), pkcs8(ca.privateKey), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, FILES.cert), serverPem, { mode: 0o644 });
  fs.writeFileSync(path.join(dir, FILES.key), pkcs8(server.privateKey), { mode: 0o600 });
}

/** The material in `dir` if it is complete, consistent and valid for at least another day. */
function load(dir: string): TlsMaterial | undefined {
  const file = (n: string) => path.join(dir, n);
  try {
    const caCert = fs.readFileSync(file(FILES.ca), "utf8");
    const cert = fs.readFileSync(file(FILES.cert), "utf8");
    const key = fs.readFileSync(file(FILES.key), "utf8");
    const ca = new crypto.X509Certificate(caCert);
    const leaf = new crypto.X509Certificate(cert);
    const dayAhead = Date.now() + 24 * 3600 * 1000;
    if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return undefined;
    if (Date.parse(leaf.validTo) < dayAhead || Date.parse(ca.validTo) < dayAhead) return undefined;
    if (!leaf.checkIP("127.0.0.1") || !leaf.checkHost("localhost")) return undefined;
    if (!leaf.checkPrivateKey(crypto.createPrivateKey(key))) return undefined;
    return { cert, key, caCert, caCertPath: path.resolve(file(FILES.ca)), certPath: path.resolve(file(FILES.cert)), keyPath: path.resolve(file(FILES.key)) };
  } catch {
    return undefined;
  }
}

/**
 * Loads the CA and server certificate from `dir`, generating them on first use (or when expired).
 * Safe when several emulators start at once on the same directory: material is generated in a private
 * directory and renamed into place; the loser of the race uses the winner's files.
 */
export function ensureTlsMaterial(dir: string): TlsMaterial {
  const existing = load(dir);
  if (existing) return existing;
  const target = path.resolve(dir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = `${target}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  generate(staging);
  try {
    if (fs.existsSync(target)) {
      const stale = `${target}.stale-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
      try {
        fs.renameSync(target, stale);
        fs.rmSync(stale, { recursive: true, force: true });
      } catch {
        // another process replaced it first
      }
    }
    fs.renameSync(staging, target);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  const material = load(target);
  if (!material) throw new Error(`could not create TLS material in ${target}`);
  return material;
}

/** TLS material from files given by the user (`--cert`/`--key`); the certificate doubles as the CA to trust. */
export function tlsMaterialFromFiles(certPath: string, keyPath: string, caPath?: string): TlsMaterial {
  const cert = fs.readFileSync(certPath, "utf8");
  const key = fs.readFileSync(keyPath, "utf8");
  const trust = caPath ?? certPath;
  return { cert, key, caCert: fs.readFileSync(trust, "utf8"), caCertPath: path.resolve(trust), certPath: path.resolve(certPath), keyPath: path.resolve(keyPath) };
}
