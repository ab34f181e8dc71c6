// lightning/navigation for jest: records what a component asked to navigate to, as lwc-recipes does.
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const CurrentPageReference = createTestWireAdapter(jest.fn());

let navigatePageReference;
let navigateReplace;

export const NavigationMixin = (Base) =>
  class extends Base {
    [NavigationMixin.Navigate](pageReference, replace) {
      navigatePageReference = pageReference;
      navigateReplace = replace;
    }
    [NavigationMixin.GenerateUrl](pageReference) {
      navigatePageReference = pageReference;
      const attributes = pageReference?.attributes ?? {};
      if (pageReference?.type === 'standard__recordPage') {
        // The URL Lightning generates for a record page (objectApiName is optional there).
        const objectApiName = attributes.objectApiName ?? 'sObject';
        return Promise.resolve(
          `/lightning/r/${objectApiName}/${attributes.recordId}/${attributes.actionName}`,
        );
      }
      return Promise.resolve(attributes.url ?? '');
    }
  };
NavigationMixin.Navigate = Symbol('Navigate');
NavigationMixin.GenerateUrl = Symbol('GenerateUrl');

/** The page reference and replace flag of the last Navigate call. */
export const getNavigateCalledWith = () => ({
  pageReference: navigatePageReference,
  replace: navigateReplace,
});

/** Forget the last navigation (call in afterEach). */
export const resetNavigate = () => {
  navigatePageReference = undefined;
  navigateReplace = undefined;
};
