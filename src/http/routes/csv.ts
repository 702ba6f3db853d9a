/**
 * RFC 4180 CSV: every field quoted when it holds a comma, quote or line break. A text cell that
 * a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, tab or CR: a device
 * id, a person's name, a rule's message) gets a leading `'` (OWASP's advice); numbers stay
 * numbers, so a temperature of -3.5 is still -3.5 — and so is text that is just a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function text(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

export function toCsv(rows: Array<Record<string, unknown>>): string {
  if (rows.length === 0) return "";
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) => {
    const s = text(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (
    [cols.map(cell).join(","), ...rows.map((r) => cols.map((c) => cell(r[c])).join(","))].join(
      "\r\n",
    ) + "\r\n"
  );
}
