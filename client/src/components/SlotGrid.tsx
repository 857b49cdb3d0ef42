import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { instantOf, parseWall, zonedIso } from '../lib/time';
import type { Booking, Slot } from '../lib/types';

/** What the calendar last loaded for the shown dates: the availability and the bookings. */
export interface GridData {
  slots: Slot[];
  bookings: Booking[];
  blackouts: { start: string; end: string }[];
}

interface Column {
  date: string;
  left: number;
  width: number;
}
interface Row {
  time: string;
  top: number;
  height: number;
}
interface Cell {
  date: string;
  time: string;
}

/**
 * The keyboard's way through the calendar: one button per slot and day laid over FullCalendar's time grid (which
 * has no per-slot element), a single tab stop (roving tabindex). Arrow keys move between slots and days, past the
 * first or last day onto the previous or next dates, Home/End to the day's first or last slot, Page Up/Down by a
 * week; Enter or Space opens the booking form on the slot. Each button says when it is and whether it is free.
 * The layer lets the mouse through: dragging on the grid works as before.
 */
export function SlotGrid(props: {
  host: HTMLElement | null;
  /** Changes whenever FullCalendar redraws (dates, events, size): the layer measures the grid again. */
  layout: number;
  data: GridData | null;
  slotMinutes: number;
  capacity: number;
  mine(booking: Booking): boolean;
  past(endMs: number): boolean;
  onOpen(startMs: number): void;
  /** Moves the calendar to the next or previous dates (the next view), or by a week. */
  onShift(direction: 1 | -1, week: boolean): void;
}) {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const layer = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState<Column[]>([]);
  const [rows, setRows] = useState<Row[]>([]);
  const [active, setActive] = useState<Cell | null>(null);
  // Set when a key moved the focus: the new active button takes it once drawn (after a change of dates too).
  const pendingFocus = useRef<'first' | 'last' | 'same' | null>(null);
  // Until a key moves it, the stop follows the data: on the first free slot once the bookings are in.
  const moved = useRef(false);

  useLayoutEffect(() => {
    const host = props.host;
    const box = layer.current?.parentElement?.getBoundingClientRect();
    if (!host || !box) return;
    const cols = [...host.querySelectorAll<HTMLElement>('td.fc-timegrid-col[data-date]')].map((el) => {
      const r = el.getBoundingClientRect();
      return { date: el.dataset.date!, left: r.left - box.left, width: r.width };
    });
    const lanes = [...host.querySelectorAll<HTMLElement>('td.fc-timegrid-slot-lane[data-time]')].map((el) => {
      const r = el.getBoundingClientRect();
      return { time: el.dataset.time!.slice(0, 5), top: r.top - box.top, height: r.height };
    });
    setColumns(cols);
    setRows(lanes);
  }, [props.layout, props.host]);

  const startOf = (cell: Cell) => instantOf(parseWall(`${cell.date}T${cell.time}`)!, zone);
  const endOf = (cell: Cell) => startOf(cell) + props.slotMinutes * 60_000;

  /** « libre », « complet », « fermé »… and whether the structure has a booking there. */
  const status = (cell: Cell): { free: boolean; text: string } => {
    const s = startOf(cell);
    const e = endOf(cell);
    const data = props.data;
    if (props.past(e)) return { free: false, text: t('calendar.slotPast') };
    if (!data) return { free: false, text: '' };
    const overlaps = (x: { start: string; end: string }) => Date.parse(x.start) < e && Date.parse(x.end) > s;
    const mine = data.bookings.some((b) => (b.status === 'confirmed' || b.status === 'pending') && overlaps(b) && props.mine(b));
    const suffix = mine ? ` ; ${t('calendar.slotMine')}` : '';
    if (data.blackouts.some(overlaps)) return { free: false, text: t('calendar.slotClosed') + suffix };
    const open = data.slots.filter(overlaps);
    if (open.length === 0) return { free: false, text: t('calendar.slotClosed') + suffix };
    const free = Math.min(...open.map((slot) => slot.free));
    if (free <= 0) return { free: false, text: t('calendar.slotTaken') + suffix };
    return { free: true, text: (props.capacity > 1 ? t('calendar.slotFreeUnits', { n: free }) : t('calendar.slotFree')) + suffix };
  };

  // A new set of dates: keep the time on the first or last day after an arrow key, else the first free slot.
  useEffect(() => {
    if (!columns.length || !rows.length) return;
    const dates = columns.map((c) => c.date);
    const times = rows.map((r) => r.time);
    if (moved.current && active && dates.includes(active.date) && times.includes(active.time)) return;
    const time = active && times.includes(active.time) ? active.time : times[0]!;
    if (pendingFocus.current === 'first') return setActive({ date: dates[0]!, time });
    if (pendingFocus.current === 'last') return setActive({ date: dates[dates.length - 1]!, time });
    const cells = dates.flatMap((date) => times.map((time) => ({ date, time })));
    const first = cells.find((c) => status(c).free) ?? cells[0]!;
    if (first.date !== active?.date || first.time !== active.time) setActive(first);
  }, [columns, rows, props.data]);

  useEffect(() => {
    if (!pendingFocus.current || !active) return;
    const button = layer.current?.querySelector<HTMLElement>(`[data-cell="${active.date}T${active.time}"]`);
    if (!button) return;
    pendingFocus.current = null;
    button.focus();
  }, [active, columns, rows]);

  const move = (event: KeyboardEvent) => {
    if (!active) return;
    const dates = columns.map((c) => c.date);
    const times = rows.map((r) => r.time);
    const day = dates.indexOf(active.date);
    const row = times.indexOf(active.time);
    const go = (cell: Cell) => {
      moved.current = true;
      pendingFocus.current = 'same';
      setActive(cell);
    };
    const shift = (direction: 1 | -1, week: boolean) => {
      moved.current = true;
      pendingFocus.current = direction > 0 ? 'first' : 'last';
      props.onShift(direction, week);
    };
    switch (event.key) {
      case 'ArrowDown':
        if (row < times.length - 1) go({ date: active.date, time: times[row + 1]! });
        break;
      case 'ArrowUp':
        if (row > 0) go({ date: active.date, time: times[row - 1]! });
        break;
      case 'ArrowRight':
        if (day < dates.length - 1) go({ date: dates[day + 1]!, time: active.time });
        else shift(1, false);
        break;
      case 'ArrowLeft':
        if (day > 0) go({ date: dates[day - 1]!, time: active.time });
        else shift(-1, false);
        break;
      case 'Home':
        go({ date: active.date, time: times[0]! });
        break;
      case 'End':
        go({ date: active.date, time: times[times.length - 1]! });
        break;
      case 'PageDown':
        shift(1, true);
        break;
      case 'PageUp':
        shift(-1, true);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div class="slot-grid" ref={layer} role="group" aria-label={t('calendar.gridLabel')} aria-describedby="slot-grid-help" onKeyDown={move}>
      <p id="slot-grid-help" class="visually-hidden">
        {t('calendar.gridHelp')}
      </p>
      {columns.flatMap((column) =>
        rows.map((row) => {
          const cell = { date: column.date, time: row.time };
          const isActive = active?.date === cell.date && active.time === cell.time;
          const start = startOf(cell);
          const { text } = status(cell);
          return (
            <button
              key={`${cell.date}T${cell.time}`}
              type="button"
              class="slot-cell"
              data-cell={`${cell.date}T${cell.time}`}
              tabIndex={isActive ? 0 : -1}
              style={{ left: `${column.left}px`, top: `${row.top}px`, width: `${column.width}px`, height: `${row.height}px` }}
              aria-label={`${i18n.range(zonedIso(start, zone), zonedIso(endOf(cell), zone))}${text ? ` — ${text}` : ''}`}
              onFocus={() => !isActive && setActive(cell)}
              onClick={() => props.onOpen(start)}
            />
          );
        }),
      )}
    </div>
  );
}
