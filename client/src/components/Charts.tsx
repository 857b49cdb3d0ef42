import { useI18n } from '../i18n/index';

/**
 * Small charts drawn as SVG (no library, no inline style: colours come from classes, sizes from attributes, so a
 * strict Content-Security-Policy holds). Each is an image with a summary for screen readers and the same figures
 * in a table under « Voir les chiffres ».
 */

const PALETTE = 8;

export interface UtilisationItem {
  label: string;
  openMinutes: number;
  parts: { label: string; minutes: number; mine?: boolean }[];
}

/** Booked hours of each resource against its opening hours × capacity, split by structure. */
export function UtilisationChart({ items }: { items: UtilisationItem[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const members = [...new Set(items.flatMap((i) => i.parts.map((p) => p.label)))].sort((a, b) => a.localeCompare(b));
  const colour = (label: string) => `chart-c${members.indexOf(label) % PALETTE}`;
  const W = 600;
  const H = 18;
  return (
    <div class="chart" data-testid="utilisation">
      {members.length > 0 && (
        <ul class="chart-legend" aria-hidden="true">
          {members.map((m) => (
            <li key={m}>
              <svg width="12" height="12" class="chart-swatch">
                <rect width="12" height="12" class={colour(m)} />
              </svg>
              {m}
            </li>
          ))}
        </ul>
      )}
      <ul class="bars">
        {items.map((item) => {
          const used = item.parts.reduce((s, p) => s + p.minutes, 0);
          const scale = item.openMinutes > 0 ? W / Math.max(item.openMinutes, used) : 0;
          const percent = item.openMinutes > 0 ? (used / item.openMinutes) * 100 : 0;
          const summary = `${item.label} : ${t('alloc.hoursUsed', { used: i18n.hours(used), open: i18n.hours(item.openMinutes) })} (${i18n.number(percent, 0)} %)`;
          let x = 0;
          return (
            <li key={item.label} class="bar-item">
              <div class="bar-label">
                <span>{item.label}</span>
                <span class="muted">
                  {t('alloc.hoursUsed', { used: i18n.hours(used), open: i18n.hours(item.openMinutes) })} · {t('alloc.percent', { p: i18n.number(percent, 0) })}
                </span>
              </div>
              <svg class="bar-svg" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary}>
                <rect width={W} height={H} class="chart-track" />
                {item.parts.map((p) => {
                  const w = p.minutes * scale;
                  const rect = (
                    <rect key={p.label} x={x} width={w} height={H} class={colour(p.label)}>
                      <title>{`${p.label} : ${i18n.hours(p.minutes)} h`}</title>
                    </rect>
                  );
                  x += w;
                  return rect;
                })}
              </svg>
            </li>
          );
        })}
      </ul>
      <details class="chart-data">
        <summary>{t('chart.showData')}</summary>
        <table class="table">
          <caption class="visually-hidden">{t('alloc.utilisation')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('common.resource')}</th>
              <th scope="col">{t('common.member')}</th>
              <th scope="col" class="num">
                {t('chart.hours')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.flatMap((item) =>
              item.parts.map((p) => (
                <tr key={`${item.label}-${p.label}`}>
                  <th scope="row">{item.label}</th>
                  <td>{p.label}</td>
                  <td class="num">{i18n.hours(p.minutes)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </details>
    </div>
  );
}

/** Twelve months of one structure's costs as columns; open months drawn lighter (estimates). */
export function CostChart({ values }: { values: { month: string; cents: number; final: boolean }[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const W = 600;
  const H = 180;
  const top = 16;
  const bottom = 24;
  const max = Math.max(1, ...values.map((v) => v.cents));
  const slot = W / values.length;
  const short = new Intl.DateTimeFormat(i18n.locale, { month: 'short', timeZone: 'UTC' });
  const label = (month: string) => short.format(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1)));
  const total = values.reduce((s, v) => s + v.cents, 0);
  const summary = t('chart.costSummary', { total: i18n.money(total), max: i18n.money(Math.max(0, ...values.map((v) => v.cents))) });
  return (
    <div class="chart" data-testid="cost-chart">
      <svg class="cost-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <line x1="0" x2={W} y1={H - bottom} y2={H - bottom} class="chart-axis" />
        {values.map((v, i) => {
          const h = ((H - top - bottom) * Math.max(0, v.cents)) / max;
          return (
            <g key={v.month}>
              <rect x={i * slot + slot * 0.15} width={slot * 0.7} y={H - bottom - h} height={h} class={v.final ? 'chart-c0' : 'chart-c0 chart-estimate'}>
                <title>{`${i18n.month(v.month)} : ${i18n.money(v.cents)}${v.final ? '' : ` (${t('chart.estimate')})`}`}</title>
              </rect>
              <text x={i * slot + slot / 2} y={H - 6} text-anchor="middle" class="chart-label">
                {label(v.month)}
              </text>
            </g>
          );
        })}
      </svg>
      <details class="chart-data">
        <summary>{t('chart.showData')}</summary>
        <table class="table">
          <caption class="visually-hidden">{t('chart.costCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('common.month')}</th>
              <th scope="col" class="num">
                {t('chart.cost')}
              </th>
              <th scope="col">{t('common.status')}</th>
            </tr>
          </thead>
          <tbody>
            {values.map((v) => (
              <tr key={v.month}>
                <th scope="row">{i18n.month(v.month)}</th>
                <td class="num">{i18n.money(v.cents)}</td>
                <td>{v.final ? t('chart.closed') : t('chart.estimate')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
