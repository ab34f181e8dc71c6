import { workbenchConfig } from './persona';

/**
 * One call to the workbench server as the persona. A failure is thrown as the platform's FetchResponse shape
 * (`{ status, statusText, ok: false, body }`) so components' error handling (reduceErrors) reads it as in an org.
 */
export async function callWorkbench(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        'content-type': 'application/json',
        'x-workbench-persona': workbenchConfig().persona?.key ?? '',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    // The platform rejects with a FetchResponse object, not an Error: components read error.body.
    // eslint-disable-next-line no-throw-literal
    throw { status: 0, statusText: 'Network error', ok: false, body: { message: error.message } };
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { message: text };
  }
  if (!response.ok) {
    // eslint-disable-next-line no-throw-literal
    throw { status: response.status, statusText: response.statusText, ok: false, headers: {}, body: parsed };
  }
  return parsed?.result ?? null;
}
