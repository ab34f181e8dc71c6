// API versions the stand-in serves. Salesforce retired versions 21.0 to 30.0 in 2025; 62.0 (Winter '25)
// is the newest this stand-in knows.

export const LATEST_VERSION = '62.0';
const OLDEST = 31;
const NEWEST = 62;

export function isSupportedVersion(v: string): boolean {
  const m = /^(\d+)\.0$/.exec(v);
  return m !== null && Number(m[1]) >= OLDEST && Number(m[1]) <= NEWEST;
}

export function versionList(): { label: string; url: string; version: string }[] {
  const list = [];
  for (let v = OLDEST; v <= NEWEST; v++) {
    const k = NEWEST - v;
    const season = ['Winter', 'Summer', 'Spring'][k % 3]!;
    const year = 25 - Math.floor((k + 2) / 3);
    list.push({
      label: `${season} '${String(year).padStart(2, '0')}`,
      url: `/services/data/v${v}.0`,
      version: `${v}.0`,
    });
  }
  return list;
}
