import { callWorkbench } from './http';

function fieldName(field) {
  return typeof field === 'string' ? field.slice(field.indexOf('.') + 1) : field?.fieldApiName;
}
const refreshers = new Set();

/** `getRecord` wire adapter: the UI API record of `recordId` with `fields` (and `optionalFields`). */
export class getRecord {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.config = undefined;
    this.refresh = () => this.fetch();
  }
  connect() {
    refreshers.add(this.refresh);
    if (this.config) this.fetch();
  }
  disconnect() {
    refreshers.delete(this.refresh);
  }
  update(config) {
    this.config = config;
    this.fetch();
  }
  async fetch() {
    const { recordId, fields, optionalFields } = this.config ?? {};
    if (!recordId || (!fields && !optionalFields)) return;
    try {
      const data = await callWorkbench('/workbench/api/ui/record', {
        recordId,
        fields: [...(fields ?? []), ...(optionalFields ?? [])],
      });
      this.dataCallback({ data, error: undefined });
    } catch (error) {
      this.dataCallback({ data: undefined, error });
    }
  }
}

/** `notifyRecordUpdateAvailable`: every getRecord wire fetches again. */
export function notifyRecordUpdateAvailable() {
  return Promise.all([...refreshers].map((refresh) => refresh())).then(() => undefined);
}

export function getFieldValue(record, field) {
  const path = fieldName(field)?.split('.') ?? [];
  let node = record;
  for (let i = 0; i < path.length; i++) {
    const entry = node?.fields?.[path[i]];
    if (entry === undefined) return undefined;
    if (i === path.length - 1) return entry.value;
    node = entry.value;
  }
  return undefined;
}

export function getFieldDisplayValue(record, field) {
  const value = getFieldValue(record, field);
  return value === undefined || value === null ? value : String(value);
}
