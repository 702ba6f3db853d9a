export interface HealthReport {
  status: string;
  components: Record<string, { state: string; detail?: Record<string, unknown> }>;
}
