/** The props every page renders from: plain rows, so the pages stay pure functions. */
export interface DeviceRow {
  id: string;
  kind: string;
  x: number | null;
  y: number | null;
  status: string | null;
  desired_status: string | null;
  online: boolean;
  last_seen: number | null;
}
export interface ReadingRow {
  device_id: string;
  ts: number;
  temperature: number | null;
  humidity: number | null;
}
export interface AlertRow {
  id: number;
  kind: string;
  subject: string;
  message: string;
  severity: string;
  state: string;
  created_at: number;
}
export interface PersonRow {
  name: string;
  state: string;
  since: number;
  away_ms: number;
  flagged: boolean;
}
export interface RoomRow {
  room_no: number;
  temperature: number | null;
  humidity: number | null;
  updated_at: number;
  history: Array<{ ts: number; temperature: number | null; humidity: number | null }>;
  rules: Array<{ schedule_id: number; condition: unknown; state: string }>;
}
export interface BinRow {
  bin_count: number;
  bin_level: string;
  full: boolean;
  m_time: string;
}
export interface ImageRow {
  id: number;
  device_id: string;
  ts: number;
}
