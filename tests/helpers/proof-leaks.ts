/**
 * Structural leak detection: D's member id or user ids appearing in an answer to someone outside D, under a
 * key that names a member or a user (memberId, buyerMemberId, toMemberId, userId, …). Text canaries catch
 * names and notes; this catches the numbers.
 */
export function foreignIdsIn(body: unknown, memberId: number, userIds: number[], path = '$'): string[] {
  const found: string[] = [];
  if (Array.isArray(body)) {
    body.forEach((item, i) => found.push(...foreignIdsIn(item, memberId, userIds, `${path}[${i}]`)));
  } else if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (/memberId$/i.test(key) && value === memberId) found.push(`${path}.${key} = ${value}`);
      else if (/userId$/i.test(key) && typeof value === 'number' && userIds.includes(value)) found.push(`${path}.${key} = ${value}`);
      else found.push(...foreignIdsIn(value, memberId, userIds, `${path}.${key}`));
    }
  }
  return found;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
