import type { ComponentChildren } from 'preact';
import { ErrorMessage, Loading, TableWrap } from './ui';

export interface Column<T> {
  /** The header, also each cell's data-label (phone layout). */
  label: string;
  cell(row: T): ComponentChildren;
  class?: string;
}

/** A list page's table: error, loading, empty message, header + rows from columns, and an optional « load more ». */
export function DataTable<T>(props: {
  label: string;
  columns: Column<T>[];
  rows: readonly T[] | undefined;
  /** Identifies a row: Preact's key, and the row's data-key (tests tell rows with the same text apart by it). */
  rowKey(row: T): string | number;
  loading: boolean;
  error?: unknown;
  /** Shown instead of an empty table; without it an empty table is shown. */
  empty?: string;
  testId?: string;
  stack?: boolean;
  /** A button after the rows that loads the next page, when there is one. */
  more?: { label: string; onMore(): void; loading?: boolean };
}) {
  const { columns, rows } = props;
  return (
    <>
      <ErrorMessage error={props.error} />
      {!rows ? (
        props.loading && <Loading />
      ) : !rows.length && props.empty !== undefined ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <TableWrap label={props.label}>
          <table class={props.stack ? 'table table-stack' : 'table'} data-testid={props.testId}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.label} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={props.rowKey(row)} data-key={props.rowKey(row)}>
                  {columns.map((c) => (
                    <td key={c.label} data-label={c.label} class={c.class}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
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
