import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.ts";

export interface TestCerts {
  caPath: string;
  ca: string;
  certPath: string;
  keyPath: string;
  /** a key of its own, not the certificate's: for the "does not match" error */
  otherKeyPath: string;
}

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost it signed, made by openssl. */
export async function makeTestCerts(dir: string): Promise<TestCerts> {
  const p = (name: string) => join(dir, name);
  const ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  writeFileSync(p("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  // file names in the commands are files in `dir`
  const commands = [
    `req -x509 ${ec} -keyout ca.key -out ca.pem -days 2 -subj /CN=iot-test-CA`,
    `req ${ec} -keyout server.key -out server.csr -subj /CN=localhost`,
    "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out server.pem -extfile san.cnf",
    "genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1 -out other.key",
  ];
  for (const command of commands) {
    const args = command.split(" ").map((a) => (/\.(pem|key|csr|cnf)$/.test(a) ? p(a) : a));
    const r = await run(["openssl", ...args]);
    if (r.code !== 0) throw new Error(`openssl ${command} failed: ${r.stderr}`);
  }
  return {
    caPath: p("ca.pem"),
    ca: readFileSync(p("ca.pem"), "utf8"),
    certPath: p("server.pem"),
    keyPath: p("server.key"),
    otherKeyPath: p("other.key"),
  };
}
