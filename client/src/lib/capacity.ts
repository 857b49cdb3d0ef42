import { daysInMonth, isoWeekday, minutesOf } from './time';
import { hoursOfDay, type Resource } from './types';

/** Minutes a resource is open in a month, times its capacity: the denominator of its utilisation. */
export function openCapacityMinutes(resource: Resource, month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  let minutes = 0;
  for (let day = 1; day <= daysInMonth(month); day++) {
    if (!resource.openingHours) {
      minutes += 24 * 60;
      continue;
    }
    const ranges = hoursOfDay(resource.openingHours, isoWeekday(y, m, day));
    for (const [from, to] of ranges) minutes += Math.max(0, (to === '00:00' ? 1440 : minutesOf(to!)) - minutesOf(from!));
  }
  return minutes * resource.capacity;
}
