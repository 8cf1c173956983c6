/**
 * Who takes part in a board's live period: the players who joined it (tournament boards) and the
 * attempts — accepted writes — each player used. Both are kept by player id (a player who joined
 * may have no entry, profile or slot yet), and both start over when the period ends. A board that is no tournament and limits no attempts holds nothing.
 */
import type { UserId } from '@scoreboard/protocol';

/** The joins and attempts of one board's live period. */
export class Participation {
  private readonly joined = new Set<UserId>();
  private readonly used = new Map<UserId, number>();

  /** O(1). Players who joined the live period. */
  get players(): number {
    return this.joined.size;
  }

  /** O(1). Whether `user` joined the live period. */
  has(user: UserId): boolean {
    return this.joined.has(user);
  }

  /** O(1). Whether anything of `user` is held: a join or an attempt. */
  holds(user: UserId): boolean {
    return this.joined.has(user) || this.used.has(user);
  }

  /** O(1). Joins `user`; answers whether it was not joined before. */
  join(user: UserId): boolean {
    if (this.joined.has(user)) return false;
    this.joined.add(user);
    return true;
  }

  /** O(1). Attempts `user` used in the live period (0 when none). */
  attempts(user: UserId): number {
    return this.used.get(user) ?? 0;
  }

  /** O(1). Sets the attempts of `user` (a record says how many: replaying it again changes nothing). */
  setAttempts(user: UserId, count: number): void {
    if (count > 0) this.used.set(user, count);
    else this.used.delete(user);
  }

  /** O(1). Forgets a player (erasure); answers whether they had joined or used an attempt. */
  forget(user: UserId): boolean {
    const joined = this.joined.delete(user);
    return this.used.delete(user) || joined;
  }

  /** O(players). Forgets everyone: a new period begins. */
  clear(): void {
    this.joined.clear();
    this.used.clear();
  }

  /**
   * O(players). Every player who joined or used an attempt, with whether it joined and its attempts:
   * joined players first in the order they joined, then the others.
   */
  *entries(): Generator<[user: UserId, joined: boolean, attempts: number]> {
    for (const user of this.joined) yield [user, true, this.attempts(user)];
    for (const [user, count] of this.used) if (!this.joined.has(user)) yield [user, false, count];
  }
}
