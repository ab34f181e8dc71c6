import { callWorkbench } from './http';

// The value last provisioned by each wire, so refreshApex(value) finds the wire to refresh.
const wireByValue = new WeakMap();

function invoke(name, params) {
  return callWorkbench(`/workbench/api/apex/${encodeURIComponent(name)}`, { params: params ?? {} });
}

/**
 * `@salesforce/apex/Class.method`: callable imperatively (`await method({ ... })`) and usable with `@wire`, as on
 * the platform. A wire whose config has an undefined value waits, as the platform's does. Results are not cached:
 * every call and refresh reaches the server.
 */
export function apexMethod(name) {
  const method = (params) => invoke(name, params);
  method.adapter = class ApexWireAdapter {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
      this.config = undefined;
      this.connected = false;
      this.generation = 0;
    }
    connect() {
      this.connected = true;
      this.emit({ data: undefined, error: undefined });
      if (this.config) this.fetch();
    }
    disconnect() {
      this.connected = false;
    }
    update(config) {
      this.config = config ?? {};
      if (this.connected) this.fetch();
    }
    emit(value) {
      wireByValue.set(value, this);
      this.dataCallback(value);
    }
    async fetch() {
      if (Object.values(this.config).some((v) => v === undefined)) return undefined;
      const generation = ++this.generation;
      try {
        const data = await invoke(name, this.config);
        if (generation === this.generation && this.connected) this.emit({ data, error: undefined });
      } catch (error) {
        if (generation === this.generation && this.connected) this.emit({ data: undefined, error });
      }
      return undefined;
    }
  };
  return method;
}

/** `refreshApex(value)`: fetches the wire that provisioned `value` again. */
export function refreshApex(value) {
  const wire = value ? wireByValue.get(value) : undefined;
  return wire ? wire.fetch() : Promise.resolve();
}

export function getSObjectValue(sObject, field) {
  const name = typeof field === 'string' ? field : field?.fieldApiName;
  return name?.split('.').reduce((value, part) => value?.[part], sObject);
}
