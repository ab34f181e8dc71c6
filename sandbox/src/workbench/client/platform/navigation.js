/**
 * `lightning/navigation`: navigation requests become a `workbench__navigate` event; the workbench app opens the
 * pages it has (the record page, the setup tab) and says so for the others (Setup, other records).
 */
const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

function urlOf(pageReference) {
  if (pageReference?.type === 'standard__webPage') return pageReference.attributes?.url;
  if (pageReference?.type === 'standard__recordPage') {
    const { objectApiName = 'Opportunity', recordId, actionName = 'view' } = pageReference.attributes ?? {};
    return `/lightning/r/${objectApiName}/${recordId}/${actionName}`;
  }
  if (pageReference?.type === 'standard__navItemPage')
    return `/lightning/n/${pageReference.attributes?.apiName}`;
  return undefined;
}

export function NavigationMixin(Base) {
  return class extends Base {
    [Navigate](pageReference, replace) {
      this.dispatchEvent(
        new CustomEvent('workbench__navigate', {
          bubbles: true,
          composed: true,
          detail: { pageReference, url: urlOf(pageReference), replace: !!replace },
        }),
      );
    }
    [GenerateUrl](pageReference) {
      return Promise.resolve(urlOf(pageReference));
    }
  };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** `CurrentPageReference`: the page the workbench shows. */
export class CurrentPageReference {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }
  connect() {
    const config = globalThis.__workbench ?? {};
    this.dataCallback(
      config.page === 'record'
        ? {
            type: 'standard__recordPage',
            attributes: { recordId: config.recordId, objectApiName: 'Opportunity', actionName: 'view' },
            state: {},
          }
        : { type: 'standard__navItemPage', attributes: { apiName: 'Teams_Bridge_Admin' }, state: {} },
    );
  }
  update() {}
  disconnect() {}
}
