export interface BucketSpec {
  group: string;
  limit: number;
  window: number;
}
