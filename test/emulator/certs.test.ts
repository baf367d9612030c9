import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { afterEach, describe, expect, test } from "vitest";
import { ensureTlsMaterial } from "../../emulator/certs";
import type { RunningEmulator } from "../../emulator/server";
import { call, startTestEmulator } from "./helpers";

/** The generated CA and server certificate, their reuse, and serving a given certificate. */

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "emu-certs-"));

describe("generated TLS material", () => {
  test("a CA and a server certificate for 127.0.0.1/localhost signed by it", () => {
    const dir = path.join(tmp(), "certs");
    const m = ensureTlsMaterial(dir);
    expect(fs.readdirSync(dir).sort()).toEqual(["ca-key.pem", "ca.pem", "server-key.pem", "server.pem"]);
    const ca = new crypto.X509Certificate(m.caCert);
    const leaf = new crypto.X509Certificate(m.cert);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.checkHost("localhost")).toBe("localhost");
    expect(leaf.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(fs.statSync(path.join(dir, "server-key.pem")).mode & 0o077).toBe(0);
    expect(fs.statSync(path.join(dir, "ca-key.pem")).mode & 0o077).toBe(0);
    expect(m.caCertPath).toBe(path.join(path.resolve(dir), "ca.pem"));
  });

  test("reused on the next start, regenerated when incomplete or broken", () => {
    const dir = path.join(tmp(), "certs");
    const first = ensureTlsMaterial(dir);
    expect(ensureTlsMaterial(dir).cert).toBe(first.cert);
    fs.rmSync(path.join(dir, "server.pem"));
    const second = ensureTlsMaterial(dir);
    expect(second.caCert).not.toBe(first.caCert);
    fs.writeFileSync(path.join(dir, "ca.pem"), "garbage");
    expect(ensureTlsMaterial(dir).caCert).not.toBe("garbage");
  });
});

describe("serving", () => {
  const running: RunningEmulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.stop()));
  });

  function get(url: string, ca?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      https.get(`${url}/_emulator/health`, { ...(ca ? { ca } : {}), agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on("error", reject);
    });
  }

  test("HTTPS only on 127.0.0.1; clients trust the CA (verification stays on)", async () => {
    const emu = await startTestEmulator();
    running.push(emu);
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await get(emu.url, emu.caCert)).toBe(200);
    expect(await get(emu.url.replace("127.0.0.1", "localhost"), emu.caCert)).toBe(200);
    await expect(get(emu.url)).rejects.toThrow(/certificate/i);
  });

  test("--cert/--key serve the given certificate; --ca names what clients trust", async () => {
    const dir = path.join(tmp(), "certs");
    const m = ensureTlsMaterial(dir);
    const emu = await startTestEmulator({ certPath: m.certPath, keyPath: m.keyPath, caPath: m.caCertPath });
    running.push(emu);
    expect(emu.caCertPath).toBe(m.caCertPath);
    expect((await call(emu, "GET", "/_emulator/health", { token: null })).status).toBe(200);
    await expect(startTestEmulator({ certPath: m.certPath })).rejects.toThrow(/both --cert and --key/);
  });
});
