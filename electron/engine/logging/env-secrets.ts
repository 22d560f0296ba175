/** Secret values configured through the environment, so the log can scrub them wherever they appear. */
const SECRET_VARIABLE = /(KEY|SECRET|TOKEN|PASSWORD)$/u;

export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_VARIABLE.test(name.toUpperCase()) && typeof value === 'string')
    .map(([, value]) => value as string)
    .filter((value) => value.length >= 8);
}
