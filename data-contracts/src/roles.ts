// The four roles (docs/interfaces.md, "Roles"): the one list the API's access table, the tokens, the CLI and the
// dashboard use. A module of its own, without zod, so that the browser bundle takes only the list.
export const ROLES = ['leader', 'analyst', 'commune', 'admin'] as const;
export type Role = (typeof ROLES)[number];
