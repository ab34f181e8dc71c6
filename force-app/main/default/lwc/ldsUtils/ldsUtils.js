/**
 * Reduces one or more LDS, Apex or JavaScript errors into a flat list of readable messages.
 * Apex AuraHandledException: `{ body: { message } }`; DML: `body.pageErrors` / `body.fieldErrors`;
 * UI API list errors: `body` is an array; network or JS errors: `message` or `statusText`.
 * @param {FetchResponse|FetchResponse[]|Error|Error[]} errors
 * @return {String[]} error messages
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return (
    list
      .filter((error) => !!error)
      .map((error) => {
        const body = error.body;
        if (Array.isArray(body)) {
          return body.map((e) => e.message);
        }
        if (body?.pageErrors?.length > 0) {
          return body.pageErrors.map((e) => e.message);
        }
        if (body?.fieldErrors && Object.keys(body.fieldErrors).length > 0) {
          return Object.values(body.fieldErrors)
            .flat()
            .map((e) => e.message);
        }
        if (body?.output?.errors?.length > 0) {
          return body.output.errors.map((e) => e.message);
        }
        if (typeof body?.message === 'string') {
          return body.message;
        }
        if (typeof error.message === 'string') {
          return error.message;
        }
        if (typeof error === 'string') {
          return error;
        }
        return error.statusText;
      })
      .flat()
      // Remove empty messages so a panel never shows a blank line
      .filter((message) => !!message)
  );
}
