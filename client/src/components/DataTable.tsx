import type { ComponentChildren } from 'preact';
import { ErrorMessage, Loading, TableWrap } from './ui';

export interface Column<T> {
  /** The header, also each cell's data-label (phone layout). */
  label: string;
  cell(row: T): ComponentChildren;
  class?: string;
  /** The header cell's class (e.g. `num`), when it differs from the cells'. */
  headClass?: string;
}

/** A run of consecutive rows under one heading (a resource, a month): rows with the same key in a row go together. */
export interface RowGroup {
  key: string;
  heading: ComponentChildren;
}

/** Consecutive rows with the same group key, in the order given (the page sorts its rows by group first). */
export function groupRuns<T>(rows: readonly T[], group: (row: T) => RowGroup): { group: RowGroup; rows: T[] }[] {
  const runs: { group: RowGroup; rows: T[] }[] = [];
  for (const row of rows) {
    const g = group(row);
    const last = runs.at(-1);
    if (last && last.group.key === g.key) last.rows.push(row);
    else runs.push({ group: g, rows: [row] });
  }
  return runs;
}

/** A list page's table: error, loading, empty message, header + rows from columns, optional groups, footer and « load more ». */
export function DataTable<T>(props: {
  label: string;
  columns: Column<T>[];
  rows: readonly T[] | undefined;
  /** Identifies a row: Preact's key, and the row's data-key (tests tell rows with the same text apart by it). */
  rowKey(row: T): string | number;
  loading: boolean;
  error?: unknown;
  /** Shown instead of an empty table; without it an empty table is shown. */
  empty?: ComponentChildren;
  testId?: string;
  stack?: boolean;
  /** Rows under headings: one <tbody> per run of rows with the same group, its heading a row header spanning the table. */
  group?(row: T): RowGroup;
  /** The table's <tfoot> rows (totals). */
  foot?: ComponentChildren;
  /** A button after the rows that loads the next page, when there is one. */
  more?: { label: string; onMore(): void; loading?: boolean };
}) {
  const { columns, rows, group } = props;
  const rowsOf = (list: readonly T[]) =>
    list.map((row) => (
      <tr key={props.rowKey(row)} data-key={props.rowKey(row)}>
        {columns.map((c) => (
          <td key={c.label} data-label={c.label} class={c.class}>
            {c.cell(row)}
          </td>
        ))}
      </tr>
    ));
  return (
    <>
      <ErrorMessage error={props.error} />
      {!rows ? (
        props.loading && <Loading />
      ) : !rows.length && props.empty !== undefined ? (
        <p class="muted empty-state">{props.empty}</p>
      ) : (
        <TableWrap label={props.label}>
          <table class={props.stack ? 'table table-stack' : 'table'} data-testid={props.testId}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.label} scope="col" class={c.headClass}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            {group ? (
              groupRuns(rows, group).map((run) => (
                <tbody key={run.group.key} class="table-group" data-group={run.group.key}>
                  <tr class="table-group-head">
                    <th scope="rowgroup" colSpan={columns.length}>
                      {run.group.heading}
                    </th>
                  </tr>
                  {rowsOf(run.rows)}
                </tbody>
              ))
            ) : (
              <tbody>{rowsOf(rows)}</tbody>
            )}
            {props.foot && <tfoot>{props.foot}</tfoot>}
          </table>
        </TableWrap>
      )}
      {rows && props.more && (
        <p>
          <button type="button" class="button" disabled={props.more.loading} onClick={props.more.onMore}>
            {props.more.label}
          </button>
        </p>
      )}
    </>
  );
}
