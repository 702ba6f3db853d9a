/** Raw HTTP/1.1 requests that are broken in the ways clients and scanners break them. */
export function malformedHttp(rnd: () => number, count: number): Buffer[] {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: T[]) => xs[int(xs.length)]!;
  const noise = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const paths = ["/entrance", "/office_status", "/office_rule", "/status/x", "/", "/api/readings"];
  const valid = () =>
    `POST ${pick(paths)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Content-Length: 30\r\n\r\n{"name":"fz","value":"in"}    `;
  const broken: Array<() => string | Buffer> = [
    () => noise(1 + int(400)),
    () =>
      `${pick(["GET", "POST", "FOO", "", "G\x00T"])} ${pick(paths)} HTTP/${pick(["1.1", "9.9", "", "1.1 x"])}\r\n\r\n`,
    () => `GET ${"/a".repeat(5000 + int(50_000))} HTTP/1.1\r\nHost: x\r\n\r\n`, // a very long target
    () => `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(100_000)}\r\n\r\n`, // a huge header
    () => `GET / HTTP/1.1\r\n${"X-H: v\r\n".repeat(2000)}\r\n`, // thousands of headers
    () =>
      `POST /entrance HTTP/1.1\r\nHost: x\r\nContent-Length: ${pick(["-1", "abc", "1e9", "99999999999999999999", "5, 6"])}\r\n\r\n{}`,
    () =>
      `POST /entrance HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    () =>
      `POST /office_rule HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${pick(["fffffffffffffffff", "-5", "1;x", "2\r\n{}"])}\r\n`,
    () => `GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\nX: \x00\x01\r\n\r\n`,
    () => `GET / HTTP/1.1\nHost: x\n\n`, // bare LF
    () =>
      `POST /status/x HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${"-".repeat(int(80))}\r\nContent-Length: 20\r\n\r\n--\r\n\r\n--\r\n\r\n\r\n`,
    () => {
      // a valid request with bytes flipped in it
      const b = Buffer.from(valid());
      for (let i = 0, n = 1 + int(5); i < n; i++) b[int(b.length)] = int(256);
      return b;
    },
    () => valid().slice(0, int(valid().length)), // cut short
  ];
  return Array.from({ length: count }, () => Buffer.from(pick(broken)()));
}
