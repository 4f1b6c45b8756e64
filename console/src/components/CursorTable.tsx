import { Button, Table, type TableProps } from "antd";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "./ProblemAlert";

/** A table over a list paged with the API's cursors: rows so far, and "load more" while there are more. */
export function CursorTable<T extends object>({
  list,
  ...props
}: Omit<TableProps<T>, "dataSource" | "pagination" | "loading"> & {
  list: {
    items: T[];
    isLoading: boolean;
    error: unknown;
    hasMore: boolean;
    loadMore: () => unknown;
    isLoadingMore: boolean;
  };
}) {
  const { t } = useTranslation();
  return (
    <div>
      <ProblemAlert error={list.error} style={{ marginBottom: 12 }} />
      <Table<T> {...props} dataSource={list.items} loading={list.isLoading} pagination={false} size="middle" />
      {list.hasMore && (
        <div style={{ textAlign: "center", marginTop: 12 }}>
          <Button onClick={() => list.loadMore()} loading={list.isLoadingMore}>
            {t("actions.loadMore")}
          </Button>
        </div>
      )}
    </div>
  );
}
