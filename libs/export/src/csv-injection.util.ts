/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). Tab and
 * carriage return are included because some spreadsheets strip them and then see the next one.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell that a spreadsheet will show as text: a value starting like a formula gets a leading `'`.
 * User agents and login IDs come from outside (anyone can send `=HYPERLINK(…)` as a user agent with a
 * failed login), and admins open these files in Excel.
 */
export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}
