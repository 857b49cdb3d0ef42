/**
 * The irreducible work: the clipped usage aggregate the close needs, as one raw statement (the same SQL as the
 * close's own usage query, so the ratio shows what the close adds on top of it); and, for context, the same
 * aggregate forced to a plain table scan (what the query planner's choice of index costs or saves).
 */
export const usageGroupBy = (hint = '') => `SELECT resource_id AS resourceId, member_id AS memberId,
         sum(((min(end_ms, @end) - max(start_ms, @start)) / 60000) * quantity) AS minutes
    FROM bookings ${hint}
   WHERE status = 'confirmed' AND start_ms < @end AND start_ms >= @lower AND end_ms > @start
   GROUP BY resource_id, member_id`;
