/**
 * `--tls-cert` / `--tls-key`: PEM files read once at start. Every way they can be wrong is a
 * start-up error that names the file, not a handshake failure a client reports later.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigError } from "../core/config/index.ts";

export interface TlsFiles {
  cert: string;
  key: string;
}

export function loadTls(opts: { tlsCert: string; tlsKey: string }): TlsFiles | null {
  if (!opts.tlsCert && !opts.tlsKey) return null;
  const cert = readPem(opts.tlsCert, "--tls-cert");
  const key = readPem(opts.tlsKey, "--tls-key");
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    throw new ConfigError(`--tls-cert ${opts.tlsCert}: not a PEM certificate (${message(e)})`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch (e) {
    throw new ConfigError(`--tls-key ${opts.tlsKey}: not a PEM private key (${message(e)})`);
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new ConfigError(
      `--tls-key ${opts.tlsKey} does not belong to the certificate in ${opts.tlsCert}`,
    );
  }
  return { cert, key };
}

function readPem(path: string, flag: string): string {
  if (!path) throw new ConfigError(`${flag} is missing (--tls-cert and --tls-key go together)`);
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "not readable" : message(e);
    throw new ConfigError(`${flag} ${path}: ${why}`);
  }
}

const message = (e: unknown) => (e as Error).message ?? String(e);
