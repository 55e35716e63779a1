/** The people of the seeded history and the rehearsal's own engineer; GitHub logins map to these emails. */
export interface Person {
  name: string;
  email: string;
  login: string;
}

export const PEOPLE = {
  tom: { name: 'Tom Becker', email: 'tom.becker@lendos.io', login: 'tbecker-lendos' },
  maria: { name: 'Maria Chen', email: 'maria.chen@lendos.io', login: 'mchen-lendos' },
  dev: { name: 'Dev Patel', email: 'dev.patel@lendos.io', login: 'dpatel-lendos' },
  sofia: { name: 'Sofia Alvarez', email: 'sofia.alvarez@lendos.io', login: 'salvarez-lendos' },
  luis: { name: 'Luis Ferreira', email: 'luis.ferreira@lendos.io', login: 'luis-product' },
  engineer: { name: 'Rehearsal Engineer', email: 'engineer@rehearsal.lendos.io', login: 'rehearsal-engineer' },
} as const satisfies Record<string, Person>;

export function personByEmail(email: string): Person | undefined {
  return Object.values(PEOPLE).find((p) => p.email.toLowerCase() === email.toLowerCase());
}

export function personByLogin(login: string): Person | undefined {
  return Object.values(PEOPLE).find((p) => p.login === login);
}
