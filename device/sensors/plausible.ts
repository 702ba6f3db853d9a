/**
 * What a DHT sensor can physically report. A glitched read (a flipped bit that passed the
 * checksum, a driver hiccup) shows up as 200 °C or 140 %RH; such a reading is a failed read.
 */
export type DhtModel = 11 | 22;

const ranges: Record<DhtModel, { temperature: [number, number]; humidity: [number, number] }> = {
  // DHT11 is specified for 0–50 °C; a margin keeps honest readings at the edges.
  11: { temperature: [-20, 60], humidity: [0, 100] },
  22: { temperature: [-40, 80], humidity: [0, 100] },
};

/** Returns why the pair is impossible for this model, or null when it is plausible. */
export function implausible(model: DhtModel, temperature: number, humidity: number): string | null {
  const r = ranges[model];
  if (
    !Number.isFinite(temperature) ||
    temperature < r.temperature[0] ||
    temperature > r.temperature[1]
  )
    return `temperature ${temperature} °C outside ${r.temperature[0]}..${r.temperature[1]} for DHT${model}`;
  if (!Number.isFinite(humidity) || humidity < r.humidity[0] || humidity > r.humidity[1])
    return `humidity ${humidity} %RH outside ${r.humidity[0]}..${r.humidity[1]}`;
  return null;
}
