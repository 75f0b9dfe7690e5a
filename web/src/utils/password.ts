// The password rule of POST /auth/password, checked before sending so the
// form can say what is missing: at least 10 characters, three of the four
// classes upper/lower/digit/symbol, and not containing the username.

export const kMinPasswordLength = 10;

export interface PasswordCheck {
  length: boolean;
  classes: boolean;
  noUsername: boolean;
}

/** How many of upper case, lower case, digit and other characters `password` uses. */
export function characterClasses(password: string): number {
  let n = 0;
  if (/[A-Z]/.test(password)) n += 1;
  if (/[a-z]/.test(password)) n += 1;
  if (/[0-9]/.test(password)) n += 1;
  if (/[^A-Za-z0-9]/.test(password)) n += 1;
  return n;
}

export function checkPassword(password: string, username: string): PasswordCheck {
  const name = username.trim().toLowerCase();
  return {
    length: [...password].length >= kMinPasswordLength,
    classes: characterClasses(password) >= 3,
    noUsername: name === '' || !password.toLowerCase().includes(name),
  };
}

export function isPasswordAcceptable(password: string, username: string): boolean {
  const c = checkPassword(password, username);
  return c.length && c.classes && c.noUsername;
}
