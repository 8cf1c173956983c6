/** Checks shared by several commands: canonical user ids and per-item prefixes. */
import type { Problem } from '../profile.js';
import { canonicalUserId, type UserId } from '../values.js';

/** O(length). Canonicalises `args.user` of schema-valid arguments in place; never a problem. */
export function canonicalUser(args: { user: UserId }): Problem | undefined {
  args.user = canonicalUserId(args.user)!;
  return undefined;
}

/** O(items · check). Runs `check` on each item, naming the first failing one by its index. */
export function eachItem<T>(
  items: T[],
  field: string,
  check: (item: T, where: string) => Problem | undefined,
): Problem | undefined {
  for (let i = 0; i < items.length; i++) {
    const problem = check(items[i]!, `${field}[${i}].`);
    if (problem) return problem;
  }
  return undefined;
}
