import type { UsageGroupBy } from '../ports';

export const GROUP_COLUMN: Record<UsageGroupBy, string> = {
  operation: 'operation_id',
  api_key: 'principal_id',
  status_class: 'status_class',
};
