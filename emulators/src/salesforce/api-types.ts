export interface ApiRequest {
  method: string;
  /** Path below /services/data/vNN.N, without leading slash (e.g. "sobjects/Account"). */
  path: string;
  version: string;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string | undefined>;
  userId: string;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
