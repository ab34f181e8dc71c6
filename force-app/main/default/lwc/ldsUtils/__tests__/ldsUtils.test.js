import { reduceErrors } from 'c/ldsUtils';

describe('c-lds-utils', () => {
  it('reads the message of an Apex AuraHandledException', () => {
    expect(reduceErrors({ body: { message: 'Link a channel first.' }, status: 500 })).toEqual([
      'Link a channel first.',
    ]);
  });

  it('reads every message of a UI API error list', () => {
    expect(reduceErrors({ body: [{ message: 'one' }, { message: 'two' }] })).toEqual(['one', 'two']);
  });

  it('reads DML page errors and field errors', () => {
    expect(reduceErrors({ body: { pageErrors: [{ message: 'Insufficient access' }] } })).toEqual([
      'Insufficient access',
    ]);
    expect(
      reduceErrors({
        body: { fieldErrors: { User__c: [{ message: 'Inactive user' }], Name: [{ message: 'Too long' }] } },
      }),
    ).toEqual(['Inactive user', 'Too long']);
  });

  it('reads output errors of a record form', () => {
    expect(reduceErrors({ body: { output: { errors: [{ message: 'Required' }] } } })).toEqual(['Required']);
  });

  it('reads JavaScript errors, plain strings and status texts', () => {
    expect(
      reduceErrors([new TypeError('x is undefined'), 'plain', { statusText: 'Service Unavailable' }]),
    ).toEqual(['x is undefined', 'plain', 'Service Unavailable']);
  });

  it('drops empty errors and empty messages', () => {
    expect(reduceErrors([undefined, null, { body: { message: '' } }, {}])).toEqual([]);
    expect(reduceErrors(undefined)).toEqual([]);
  });
});
