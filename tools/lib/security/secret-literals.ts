// What a secret written as a literal looks like: a credential-shaped name with a real value, or a PEM private key.

/** Names that end in a credential word: DB_PASSWORD, GITHUB_TOKEN, JWT_SECRET, STRIPE_API_KEY, AWS_SECRET_ACCESS_KEY... */
export const SECRET_NAME = /(^|[_.-])(PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|SECRET_KEY|SECRET_ACCESS_KEY|API_?KEY|PRIVATE_KEY|ACCESS_KEY|CLIENT_SECRET|CREDENTIALS?)$/i;

const PRIVATE_KEY = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----/;

/** A value that only references other variables (`$(DB_PASSWORD)`) or is empty carries no secret itself. */
function isOnlyReference(value: string): boolean {
  return value.replace(/\$\([A-Za-z_][A-Za-z0-9_.-]*\)/g, '').trim() === '';
}

/** Why a name/value pair looks like a secret written in the manifest, or undefined. */
export function secretLiteralReason(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (PRIVATE_KEY.test(value)) return 'holds a PEM private key';
  if (SECRET_NAME.test(name) && !isOnlyReference(value)) return 'is named like a credential and has a literal value';
  return undefined;
}
