/** What the server shows once: an initial password and, for administrators, the TOTP secret. */
export interface OneTimeSecret {
  username: string;
  initial_password: string;
  totp_secret?: string;
  totp_uri?: string;
}

/** Usernames: 3–32 letters, digits, `_`, `.` or `-`. */
export const kUsernamePattern = /^[A-Za-z0-9_.-]{3,32}$/;
